/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ebpf-none.c — the eBPF recorder's API where it was not built (libbpf, clang, bpftool or the
 * build machine's BTF missing, or not x86_64: lib/meson.build): every entry says so, in the
 * words sc_ebpf_available() uses, and points at the ptrace recorder.
 */
#include <errno.h>

#include "record/record.h"

SC_EXPORT int sc_ebpf_available(struct sc_diag *reterr)
{
	sc_diag_set(reterr, NULL, NULL, 0, 0, 0, 0,
		    "this seccompose was built without the eBPF recorder (libbpf, clang and bpftool "
		    "with the build machine's BTF, on x86_64)");
	sc_diag_hint(reterr, "`seccompose record -- CMD` (ptrace) works without it");
	return -ENOSYS;
}

SC_EXPORT int sc_record_ebpf_command(struct sc_recording *r, char *const argv[], int *ret_status,
				     struct sc_diag *reterr)
{
	(void)r;
	(void)argv;
	(void)ret_status;
	return sc_ebpf_available(reterr);
}

SC_EXPORT int sc_watch_new(struct sc_watch **ret, struct sc_diag *reterr)
{
	*ret = NULL;
	return sc_ebpf_available(reterr);
}

SC_EXPORT struct sc_watch *sc_watch_free(struct sc_watch *w)
{
	(void)w;
	return NULL;
}

SC_EXPORT int sc_watch_add(struct sc_watch *w, const struct sc_watch_target *t,
			   struct sc_diag *reterr)
{
	(void)w;
	(void)t;
	return sc_ebpf_available(reterr);
}

SC_EXPORT int sc_watch_poll(struct sc_watch *w, int timeout_ms)
{
	(void)w;
	(void)timeout_ms;
	return -ENOSYS;
}

SC_EXPORT int sc_watch_take(struct sc_watch *w, int id, struct sc_recording *r)
{
	(void)w;
	(void)id;
	(void)r;
	return -ENOSYS;
}

SC_EXPORT bool sc_watch_done(struct sc_watch *w, int id)
{
	(void)w;
	(void)id;
	return true;
}

SC_EXPORT void sc_watch_remove(struct sc_watch *w, int id)
{
	(void)w;
	(void)id;
}

int ebpf_watch_fd(struct sc_watch *w)
{
	(void)w;
	return -ENOSYS;
}
