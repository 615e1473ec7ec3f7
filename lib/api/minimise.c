/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * minimise.c — `seccompose minimise` (tiny-jail's `reduce`): the smallest policy, by delta
 * debugging, under which a command still does what it did.
 *
 * The units are the names the policy's rules list: a syscall name of a rule, or a group name
 * of an abstract rule, which counts as one unit first. ddmin (Zeller) removes chunks of the
 * units left, halving the chunks when no removal passes. A group that could not go is then
 * opened: its member rules (as resolve.c expands them: the referring rule's action) become
 * units of their own, and ddmin runs over them; the group stays as written unless some member
 * could go.
 *
 * A candidate is the loaded policy with units left out: a shallow copy of the model whose
 * rules list only the kept names (strings and conditions shared with the original, nothing
 * parsed again), compiled with the library and run: the command in a forked child under the
 * filter, its standard output and exit status captured. It passes when both equal the run
 * under the original policy, or, with a check script, when `sh -c SCRIPT` exits 0 reading
 * the candidate's output. The size is the compiled rule count (every ABI, every syscall):
 * the result is never larger than the original, and is run once more at the end; a result
 * that fails then (a flaky command) gives way to the original.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/filter.h"
#include "policy/policy.h"

/* One name of policy rule @rule (@name), or, once a group is opened, one member rule of it
 * (@member: it names one syscall or one group; @rule gives its action, as in resolve.c). */
struct unit {
	size_t rule, name;
	const struct pol_rule *member;
	bool on;
};

struct mini {
	struct sc_policy *p;
	const struct sc_minimise_options *o;
	struct unit *u;
	size_t nu, cap;
	char *want_out; /* the run under the original policy */
	size_t want_len;
	int want_status;
	double started, timeout;
	bool out_of_time;
	struct sc_minimise_stats st;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The group unit @u names, or NULL when it names a syscall. */
static const struct pol_group *unit_group(const struct mini *m, const struct unit *u)
{
	if (u->member)
		return u->member->is_group && u->member->nnames == 1
			       ? groups_find(m->p->groups, u->member->names[0].name)
			       : NULL;
	if (!m->p->rules[u->rule].is_group)
		return NULL;
	return groups_find(m->p->groups, m->p->rules[u->rule].names[u->name].name);
}

/* The candidate: @m's policy with only the units that are on. Free with candidate_free(). */
static struct sc_policy *candidate(const struct mini *m, bool **ret_owned)
{
	struct sc_policy *c = xcalloc(1, sizeof(*c));
	size_t n = 0;
	bool *owned;

	*c = *m->p;
	c->warnings = NULL; /* compiling adds warnings: to the candidate's own list */
	c->nwarnings = 0;
	c->rules = xcalloc(m->nu + m->p->nrules + 1, sizeof(*c->rules));
	owned = xcalloc(m->nu + m->p->nrules + 1, sizeof(*owned));
	for (size_t i = 0; i < m->p->nrules; i++) {
		const struct pol_rule *r = &m->p->rules[i];
		struct pol_rule kept = *r;
		kept.names = xcalloc(r->nnames + 1, sizeof(*kept.names));
		kept.nnames = 0;
		for (size_t k = 0; k < m->nu; k++)
			if (m->u[k].on && m->u[k].rule == i && !m->u[k].member)
				kept.names[kept.nnames++] = r->names[m->u[k].name];
		if (kept.nnames) {
			owned[n] = true;
			c->rules[n++] = kept;
		} else {
			free(kept.names);
		}
		/* Opened groups' kept members, as resolve.c expands them. */
		for (size_t k = 0; k < m->nu; k++) {
			const struct unit *u = &m->u[k];
			if (!u->on || u->rule != i || !u->member)
				continue;
			c->rules[n] = *u->member;
			c->rules[n].action = r->action;
			c->rules[n].origin = r->origin;
			c->rules[n++].loc = r->loc;
		}
	}
	c->nrules = n;
	*ret_owned = owned;
	return c;
}

static void candidate_free(struct sc_policy *c, bool *owned)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (owned[i])
			free(c->rules[i].names);
	free(c->rules);
	free(c->warnings);
	free(owned);
	free(c);
}

/* Read @fd to its end or until @deadline into a malloc'd buffer; false on the deadline. */
static bool read_all(int fd, double deadline, char **ret, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf = xcalloc(1, cap);

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double left = deadline - now();
		ssize_t k;
		if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) == 0) {
			free(buf);
			return false;
		}
		if (len == cap)
			buf = xgrow(buf, &cap, len + 1, 1);
		k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	*ret = buf;
	*ret_len = len;
	return true;
}

static int status_of(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 255;
}

/* Run the command under @f (NULL: none); its standard output and exit status (128+N for
 * signal N). False when it ran past @deadline (it is killed) or could not start: then
 * *@ret_exec_errno (if not NULL) is execvp's errno when that failed, else 0. */
static bool run_command(const struct mini *m, const struct sc_filter *f, double deadline,
			char **ret_out, size_t *ret_len, int *ret_status, int *ret_exec_errno)
{
	int pfd[2], efd[2], ws = 0, err = 0;
	bool done;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return false;
	if (pipe2(efd, O_CLOEXEC) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		close(efd[0]);
		close(efd[1]);
		return false;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		setpgid(0, 0); /* so that a timeout kills what it started too */
		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(null, 2);
		if (f && sc_policy_restricts_ptrace(m->p))
			(void)sc_restrict_ptrace(sc_policy_flags(m->p)); /* as `run`, where it can */
		if (f && sc_filter_install(f, 0) < 0)
			_exit(127);
		execvp(m->o->argv[0], m->o->argv);
		err = errno; /* said through the close-on-exec pipe: an exit status could be anything */
		if (write(efd[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	close(efd[1]);
	done = read_all(pfd[0], deadline, ret_out, ret_len);
	close(pfd[0]);
	if (read(efd[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		err = 0;
	close(efd[0]);
	if (ret_exec_errno)
		*ret_exec_errno = err;
	if (done && err) {
		free(*ret_out);
		*ret_out = NULL;
		done = false;
	}
	/* Its standard output may end before it does (closed, or handed on): the deadline
	 * holds for its exit as well. */
	bool reaped = false;
	while (done && !(reaped = waitpid(pid, &ws, WNOHANG) == pid)) {
		if (now() > deadline) {
			done = false;
			free(*ret_out);
			*ret_out = NULL;
			break;
		}
		usleep(2000);
	}
	kill(-pid, SIGKILL); /* on a timeout, and what it left behind */
	if (!reaped) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	*ret_status = status_of(ws);
	return done;
}

/* `sh -c SCRIPT` with @out on its standard input and SECCOMPOSE_STATUS=@status: passes on 0. */
static bool run_check(const char *script, const char *out, size_t len, int status)
{
	int fd = memfd_create("seccompose-minimise", MFD_CLOEXEC), ws = 0;
	pid_t pid;
	char st[16];

	if (fd < 0 || write(fd, out, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	snprintf(st, sizeof(st), "%d", status);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		dup2(fd, 0);
		dup2(null, 1);
		dup2(null, 2);
		setenv("SECCOMPOSE_STATUS", st, 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (pid < 0)
		return false;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
}

static size_t compiled_rules(const struct sc_filter *f)
{
	size_t n = 0;

	for (size_t a = 0; a < f->ir->narches; a++)
		for (size_t k = 0; k < f->ir->arches[a].ncalls; k++)
			n += f->ir->arches[a].calls[k].nrules;
	return n;
}

/* Does the policy with the units that are on pass? *@ret_size: its compiled rule count. */
static bool passes(struct mini *m, size_t *ret_size)
{
	bool *owned, ok = false;
	struct sc_policy *c = candidate(m, &owned);
	struct sc_filter *f = NULL;
	struct sc_diag d = { 0 };
	char *out = NULL;
	size_t len = 0;
	int status;
	double deadline = now() + m->timeout;

	if (sc_policy_compile(c, &f, &d) == 0) {
		if (ret_size)
			*ret_size = compiled_rules(f);
		m->st.runs++;
		if (run_command(m, f, deadline, &out, &len, &status, NULL))
			ok = m->o->check ? run_check(m->o->check, out, len, status)
					 : status == m->want_status && len == m->want_len &&
						   memcmp(out, m->want_out, len) == 0;
		free(out);
	}
	sc_filter_free(f);
	candidate_free(c, owned);
	m->st.elapsed = now() - m->started;
	if (m->o->budget > 0 && m->st.elapsed >= m->o->budget)
		m->out_of_time = true;
	if (m->o->progress)
		m->o->progress(&m->st, m->o->data);
	return ok;
}

static void count_left(struct mini *m)
{
	m->st.units_left = 0;
	for (size_t k = 0; k < m->nu; k++)
		m->st.units_left += m->u[k].on;
}

/* ddmin over the units @var (indexes into m->u), the others as they are: *@var and *@n end
 * as the units kept. */
static void ddmin(struct mini *m, size_t *var, size_t *n)
{
	size_t chunks = 2;

	while (*n > 0 && !m->out_of_time) {
		size_t size = (*n + chunks - 1) / chunks;
		bool reduced = false;
		m->st.rounds++;
		for (size_t start = 0; start < *n && !m->out_of_time; start += size) {
			size_t end = start + size < *n ? start + size : *n;
			for (size_t k = start; k < end; k++)
				m->u[var[k]].on = false;
			if (passes(m, NULL)) {
				memmove(var + start, var + end, (*n - end) * sizeof(*var));
				*n -= end - start;
				chunks = chunks > 2 ? chunks - 1 : 2;
				reduced = true;
				count_left(m);
				break;
			}
			for (size_t k = start; k < end; k++)
				m->u[var[k]].on = true;
		}
		count_left(m);
		if (reduced)
			continue;
		if (chunks >= *n)
			break;
		chunks = chunks * 2 < *n ? chunks * 2 : *n;
	}
}

static void add_unit(struct mini *m, size_t rule, size_t name, const struct pol_rule *member)
{
	m->u = xgrow(m->u, &m->cap, m->nu + 1, sizeof(*m->u));
	m->u[m->nu++] = (struct unit){ rule, name, member, true };
	m->st.units_total++;
}

/* The calls every process needs to end and to return from a signal handler: never removed
 * (a policy without exit_group leaves glibc's _exit() looping on EPERM until the run is
 * killed; recorded policies always have them, lift.c). */
static bool essential(const struct mini *m, const struct unit *u)
{
	static const char *const needed[] = { "exit", "exit_group", "rt_sigreturn", "sigreturn",
					      "restart_syscall" };
	const struct pol_rule *r = &m->p->rules[u->rule];
	const char *name;

	if (u->member ? u->member->is_group : r->is_group)
		return false;
	name = u->member ? u->member->names[0].name : r->names[u->name].name;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (strcmp(name, needed[i]) == 0)
			return true;
	return false;
}

/* Open each group that stayed: its members as units, ddmin over them; back to the group
 * when none could go. Members that are groups are opened in turn (units added at the end
 * are reached by the same loop). */
static void open_groups(struct mini *m)
{
	for (size_t k = 0; k < m->nu && !m->out_of_time; k++) {
		const struct pol_group *grp;
		size_t first = m->nu, n, *var;
		if (!m->u[k].on || !(grp = unit_group(m, &m->u[k])) || grp->nrules == 0)
			continue;
		for (size_t i = 0; i < grp->nrules; i++)
			add_unit(m, m->u[k].rule, m->u[k].name, &grp->rules[i]);
		m->u[k].on = false;
		var = xcalloc(grp->nrules, sizeof(*var));
		n = 0;
		for (size_t i = 0; i < grp->nrules; i++)
			if (!essential(m, &m->u[first + i]))
				var[n++] = first + i;
		size_t nvar = n;
		ddmin(m, var, &n);
		free(var);
		if (n == nvar) { /* nothing went: the group as written */
			m->u[k].on = true;
			for (size_t i = first; i < m->nu; i++)
				m->u[i].on = false;
		}
		count_left(m);
	}
}

SC_EXPORT int sc_policy_minimise(struct sc_policy *p, const struct sc_minimise_options *o,
				 char **ret_toml, size_t *ret_len, struct sc_minimise_stats *ret_stats,
				 struct sc_diag *reterr)
{
	struct mini m = { .p = p, .o = o };
	struct sc_filter *f = NULL;
	size_t n = 0, *var, size = 0;
	int exec_errno = 0;
	bool *owned, ok;
	struct sc_policy *c;
	int r;
	double t;

	if (!o || !o->argv || !o->argv[0]) {
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "minimise needs a command to run");
		return -EINVAL;
	}
	m.started = now();
	if ((r = sc_policy_compile(p, &f, reterr)) < 0)
		return r;
	m.st.rules_before = compiled_rules(f);
	/* The reference run (a budget shorter than a minute does not cut it short); each
	 * candidate gets ten times as long, plus 10 s. */
	t = now();
	if (!run_command(&m, f, t + (o->budget > 60 ? o->budget : 60), &m.want_out, &m.want_len,
			 &m.want_status, &exec_errno)) {
		sc_filter_free(f);
		free(m.want_out);
		if (exec_errno)
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "cannot run '%s': %s", o->argv[0],
				    strerror(exec_errno));
		else
			sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0, "'%s' did not finish under the original policy",
				    o->argv[0]);
		return -ECHILD;
	}
	m.timeout = 10 * (now() - t) + 10;
	m.st.runs = 1;
	if (o->check && !run_check(o->check, m.want_out, m.want_len, m.want_status)) {
		sc_filter_free(f);
		free(m.want_out);
		sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
			    "the check fails already under the original policy: nothing to keep passing");
		return -EINVAL;
	}
	sc_filter_free(f);
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t k = 0; k < p->rules[i].nnames; k++)
			add_unit(&m, i, k, NULL);
	var = xcalloc(m.nu + 1, sizeof(*var));
	n = 0;
	for (size_t i = 0; i < m.nu; i++)
		if (!essential(&m, &m.u[i]))
			var[n++] = i;
	count_left(&m);
	ddmin(&m, var, &n);
	free(var);
	open_groups(&m);
	/* Verified once more; never larger than the original, never one that fails. */
	ok = passes(&m, &size);
	if (!ok || size > m.st.rules_before) {
		for (size_t k = 0; k < m.nu; k++)
			m.u[k].on = !m.u[k].member;
		size = m.st.rules_before;
		m.st.fell_back = true;
	}
	count_left(&m);
	m.st.rules_after = size;
	m.st.out_of_time = m.out_of_time;
	c = candidate(&m, &owned);
	r = sc_policy_write_toml(c, ret_toml, ret_len);
	candidate_free(c, owned);
	free(m.want_out);
	free(m.u);
	if (ret_stats)
		*ret_stats = m.st;
	return r;
}
