# fish completion for seccompose(1).
# The commands (with their summaries), each command's options and the values of --format,
# --arch, --policy and --multiplexed come from seccompose itself (`__summaries`, `__options
# CMD`, `__values CMD OPTION`), so this file lists none of them. What it knows: `run` and
# `record` run a command, whose own words follow it.

function __seccompose_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l sc $words[1]
    set -l cmd
    set -l i 2
    while test $i -le (count $words)
        if not string match -q -- '-*' $words[$i]
            set cmd $words[$i]
            break
        end
        set i (math $i + 1)
    end
    if test -z "$cmd"
        $sc __summaries 2>/dev/null
        return
    end
    if test "$cmd" = help
        $sc __summaries 2>/dev/null
        return
    end
    set -l opts ($sc __options $cmd 2>/dev/null); or return
    # Where are we among the operands? (`run`/`record` stop at the command they run.)
    set -l nops 0
    set -l ended 0
    set -l want_value
    set i (math $i + 1)
    while test $i -le (count $words)
        set -l w $words[$i]
        if test -n "$want_value" # this word is the value of the option before it
            set want_value
            set i (math $i + 1)
            continue
        end
        if test $ended = 1
            set nops (math $nops + 1)
        else if test "$w" = --
            set ended 1
        else if string match -q -- '-*' $w
            if not string match -q -- '*=*' $w
                for o in $opts
                    set -l f (string split \t -- $o)
                    if string match -q -- '*=' $f[1]; and contains -- "$w" (string trim -r -c = -- $f[1]) $f[2]
                        set want_value (string trim -r -c = -- $f[1])
                    end
                end
            end
        else
            set nops (math $nops + 1)
            contains -- $cmd run record; and set ended 1
        end
        set i (math $i + 1)
    end
    set -l pre ''
    if test $ended = 0; and string match -q -- '--*=*' $cur
        set want_value (string split -m1 = -- $cur)[1]
        set pre $want_value=
    end
    if test -n "$want_value"
        set -l values ($sc __values $cmd (string replace -- -- '' $want_value) 2>/dev/null)
        and printf '%s\n' $pre$values
        if test -z "$values"; or test "$want_value" = --policy
            __fish_complete_path (string replace -- "$pre" '' $cur) | string replace -r -- '^' "$pre"
        end
        return
    end
    if contains -- $cmd run record; and test $nops -gt 0
        __fish_complete_path $cur
    else if test $ended = 0; and string match -q -- '-*' $cur
        for o in $opts
            string split \t -- $o | head -n 1
        end
    else if contains -- $cmd run record
        complete -C -- "$cur" # the command to run
    else
        test $nops = 0; and $sc __values $cmd operand 2>/dev/null
        __fish_complete_path $cur
    end
end

complete -c seccompose -f -a '(__seccompose_complete)'
