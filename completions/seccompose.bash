# bash completion for seccompose(1).
# The commands, each command's options and the values of --format, --arch, --policy and
# --multiplexed come from seccompose itself (`seccompose __commands`, `__options CMD`,
# `__values CMD OPTION`), so this file lists none of them and cannot fall behind the code.
# What it knows: `run` and `record` run a command, whose own words follow it.

# Does option word $1 (--name or -x) take a value, according to __options output $2?
_seccompose_takes_value()
{
	if [[ $1 == --* ]]; then
		grep -qx -- "$1=.*" <<<"$2"
	else
		awk -F '\t' -v s="$1" '$2 == s && $1 ~ /=$/ { f = 1 } END { exit !f }' <<<"$2"
	fi
}

_seccompose()
{
	local -a words
	local cur prev sc cmd= i w opts opt= nops=0 ended= bcur=${COMP_WORDS[COMP_CWORD]}

	# Our own words, split at blanks only: bash also splits at '=' and ':' (--format=oci,
	# builtin:default), which the replies are trimmed back to at the end.
	if [[ -n ${COMP_LINE-} ]]; then
		read -ra words <<<"${COMP_LINE:0:COMP_POINT}x"
		words[${#words[@]} - 1]=${words[${#words[@]} - 1]%x}
	else
		words=("${COMP_WORDS[@]:0:COMP_CWORD + 1}")
	fi
	cur=${words[${#words[@]} - 1]}
	prev=${words[${#words[@]} - 2]}
	sc=${words[0]}
	COMPREPLY=()

	for ((i = 1; i < ${#words[@]} - 1; i++)); do
		[[ ${words[i]} != -* ]] && { cmd=${words[i]}; break; }
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$("$sc" __commands 2>/dev/null) help --help --version" -- "$cur"))
	elif [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$("$sc" __commands 2>/dev/null)" -- "$cur"))
	elif opts=$("$sc" __options "$cmd" 2>/dev/null); then
		# Where are we among the operands? (`run`/`record` stop at the command they run.)
		for ((i = i + 1; i < ${#words[@]} - 1; i++)); do
			w=${words[i]}
			if [[ -n $ended ]]; then
				((nops++))
			elif [[ $w == -- ]]; then
				ended=1
			elif [[ $w == -* ]]; then
				[[ $w != *=* ]] && _seccompose_takes_value "$w" "$opts" && ((i++))
			else
				((nops++))
				[[ $cmd == run || $cmd == record ]] && ended=1
			fi
		done
		if [[ -z $ended && $cur == --*=* ]]; then
			opt=${cur%%=*}
		elif [[ -z $ended && $prev == -* && $prev != *=* ]] && _seccompose_takes_value "$prev" "$opts"; then
			opt=$prev
			[[ $opt == -? ]] && opt=$(awk -F '\t' -v s="$opt" '$2 == s { print $1 }' <<<"$opts")
		fi
		opt=${opt%=}
		if [[ -n $opt ]]; then
			local pre= values
			[[ $cur == --*=* ]] && pre=${cur%%=*}= && cur=${cur#*=}
			if values=$("$sc" __values "$cmd" "${opt#--}" 2>/dev/null); then
				COMPREPLY=($(compgen -W "$values" -- "$cur"))
				[[ $opt == --policy ]] && COMPREPLY+=($(compgen -f -- "$cur"))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi
			COMPREPLY=("${COMPREPLY[@]/#/$pre}")
		elif [[ ($cmd == run || $cmd == record) && $nops -gt 0 ]]; then
			COMPREPLY=($(compgen -f -- "$cur")) # the command's own arguments
		elif [[ $cur == -* && -z $ended ]]; then
			COMPREPLY=($(compgen -W "$(cut -f1 <<<"$opts")" -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		elif [[ $cmd == run || $cmd == record ]]; then
			COMPREPLY=($(compgen -c -- "$cur" | sort -u)) # the command to run
		else
			((nops == 0)) && COMPREPLY=($(compgen -W "$("$sc" __values "$cmd" operand 2>/dev/null)" -- "$cur"))
			COMPREPLY+=($(compgen -f -- "$cur"))
		fi
	fi
	# Trim each reply to the part bash is completing (after its '=' or ':' split).
	w=${words[${#words[@]} - 1]}
	if [[ $w != "$bcur" && $w == *"$bcur" ]]; then
		local strip=$((${#w} - ${#bcur}))
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]:strip}
		done
	fi
}
complete -F _seccompose seccompose
