/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export-artifact.c — the rule set as a KEP-6061 seccomp profile artifact, written as an OCI
 * image layout directory (oci-layout, index.json, blobs/sha256/) that `skopeo copy oci:DIR …`
 * or `oras cp --from-oci-layout` pushes to a registry.
 *
 * The artifact: one manifest whose config media type and artifactType are
 * application/vnd.cncf.seccomp-profile.config.v1+json (config `{}`), with exactly one layer,
 * our OCI export byte for byte (application/json, as SPO's `spoc push` writes it). What a
 * runtime rejects when it validates such an artifact is refused here with the reason:
 * a profile over 1 MiB, more than 128 entries naming one syscall, SCMP_ACT_NOTIFY or the
 * listener fields (no agent behind a pulled profile), the WAIT_KILLABLE_RECV flag (only
 * meaningful with NOTIFY) and an errno above 4095.
 *
 * The directory must be new or empty; blobs go first and index.json last, each written
 * atomically, so an interrupted write never looks like a layout.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "export/export.h"

#define ARTIFACT_TYPE "application/vnd.cncf.seccomp-profile.config.v1+json"
#define LAYER_TYPE "application/json"
#define MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"
#define INDEX_TYPE "application/vnd.oci.image.index.v1+json"
#define CONFIG_BLOB "{}"

#define MAX_PROFILE_BYTES (1024 * 1024)
#define MAX_ENTRIES_PER_NAME 128
#define MAX_ERRNO 4095

static int refuse(struct sc_diag *d, const char *why)
{
	sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "cannot export as a seccomp profile artifact: %s", why);
	return -EINVAL;
}

static bool errno_too_big(const json_t *v)
{
	return v && json_integer_value(v) > MAX_ERRNO;
}

/* What runtimes validating a KEP-6061 artifact reject, said before anything is written. */
static int check_profile(const json_t *root, size_t len, struct sc_diag *d)
{
	const json_t *calls = json_object_get(root, "syscalls"), *e, *flag;
	const char *def = json_string_value(json_object_get(root, "defaultAction"));
	size_t i, k;
	char why[256];

	if (len > MAX_PROFILE_BYTES) {
		snprintf(why, sizeof(why), "the profile is %zu bytes, and runtimes take at most %d", len,
			 MAX_PROFILE_BYTES);
		return refuse(d, why);
	}
	if (json_object_get(root, "listenerPath") || json_object_get(root, "listenerMetadata"))
		return refuse(d, "it names a seccomp agent (listenerPath), which a pulled profile cannot have");
	if (def && strcmp(def, "SCMP_ACT_NOTIFY") == 0)
		return refuse(d, "its default action is Notify, and a pulled profile has no agent to ask");
	if (errno_too_big(json_object_get(root, "defaultErrnoRet")))
		return refuse(d, "its default errno is above 4095");
	json_array_foreach (json_object_get(root, "flags"), i, flag)
		if (strcmp(json_string_value(flag), "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
			return refuse(d, "it asks for SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, which only an "
					 "agent (Notify) uses");
	json_array_foreach (calls, i, e) {
		const json_t *name;
		const char *first = json_string_value(json_array_get(json_object_get(e, "names"), 0));
		if (strcmp(json_string_value(json_object_get(e, "action")), "SCMP_ACT_NOTIFY") == 0) {
			snprintf(why, sizeof(why), "'%s' gets Notify, and a pulled profile has no agent to ask",
				 first ? first : "?");
			return refuse(d, why);
		}
		if (errno_too_big(json_object_get(e, "errnoRet"))) {
			snprintf(why, sizeof(why), "'%s' gets an errno above 4095", first ? first : "?");
			return refuse(d, why);
		}
		/* entries naming each name, counted once, where it first appears */
		json_array_foreach (json_object_get(e, "names"), k, name) {
			size_t n = 0, j, l;
			const json_t *e2, *other;
			bool seen_before = false;
			json_array_foreach (calls, j, e2) {
				json_array_foreach (json_object_get(e2, "names"), l, other)
					if (json_equal(name, other)) {
						seen_before |= j < i;
						n++;
						break;
					}
			}
			if (seen_before || n <= MAX_ENTRIES_PER_NAME)
				continue;
			snprintf(why, sizeof(why), "'%s' is named by %zu entries, and runtimes take at most %d",
				 json_string_value(name), n, MAX_ENTRIES_PER_NAME);
			return refuse(d, why);
		}
	}
	return 0;
}

/* A descriptor: media type, digest and size of @blob. */
static json_t *descriptor(const char *media_type, const char *blob, size_t len)
{
	char hex[SHA256_HEX_LEN], digest[8 + SHA256_HEX_LEN];

	sha256_hex(blob, len, hex);
	snprintf(digest, sizeof(digest), "sha256:%s", hex);
	return json_pack("{s:s, s:s, s:I}", "mediaType", media_type, "digest", digest, "size",
			 (json_int_t)len);
}

/* Files written so far, removed again when a later one fails. */
struct written {
	char *path[8];
	size_t n;
};

static int put(struct written *w, const char *dir, const char *name, const char *buf, size_t len,
	       struct sc_diag *d)
{
	char *path;
	int r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	r = sc_file_write_atomic(path, buf, len);
	if (r < 0) {
		sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "cannot write '%s': %s", path, strerror(-r));
		free(path);
		return r;
	}
	w->path[w->n++] = path;
	return 0;
}

static int put_blob(struct written *w, const char *dir, const char *buf, size_t len, struct sc_diag *d)
{
	char hex[SHA256_HEX_LEN], name[32 + SHA256_HEX_LEN];

	sha256_hex(buf, len, hex);
	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	return put(w, dir, name, buf, len, d);
}

/* @dir made, or found empty: never a layout written over something. */
static int claim_dir(const char *dir, bool *ret_made, struct sc_diag *d)
{
	DIR *h;
	struct dirent *e;

	*ret_made = false;
	if (mkdir(dir, 0755) == 0) {
		*ret_made = true;
		return 0;
	}
	if (errno != EEXIST) {
		int r = -errno;
		sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "cannot create '%s': %s", dir, strerror(errno));
		return r;
	}
	h = opendir(dir);
	if (!h) {
		int r = -errno;
		sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "cannot use '%s' for the layout: %s", dir,
			    strerror(errno));
		return r;
	}
	while ((e = readdir(h)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			closedir(h);
			sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "'%s' is not empty: the layout goes into a new "
				    "or empty directory", dir);
			sc_diag_hint(d, "name a new directory, or empty this one first");
			return -EEXIST;
		}
	closedir(h);
	return 0;
}

static int make_subdirs(const char *dir, struct sc_diag *d)
{
	static const char *const sub[] = { "blobs", "blobs/sha256" };

	for (size_t i = 0; i < 2; i++) {
		char *path;
		int r = 0;
		if (asprintf(&path, "%s/%s", dir, sub[i]) < 0)
			return -ENOMEM;
		if (mkdir(path, 0755) < 0) {
			r = -errno;
			sc_diag_set(d, NULL, NULL, 0, 0, 0, 0, "cannot create '%s': %s", path, strerror(errno));
		}
		free(path);
		if (r < 0)
			return r;
	}
	return 0;
}

static void undo(struct written *w, const char *dir, bool made)
{
	char *path;

	for (size_t i = w->n; i > 0; i--)
		unlink(w->path[i - 1]);
	if (asprintf(&path, "%s/blobs/sha256", dir) >= 0) {
		rmdir(path);
		path[strlen(path) - strlen("/sha256")] = '\0';
		rmdir(path);
		free(path);
	}
	if (made)
		rmdir(dir);
}

int export_artifact(const struct ir *ir, struct export_warnings *warnings, const char *dir,
		    struct sc_diag *reterr)
{
	json_t *root = NULL, *layer_desc, *manifest, *index;
	char *layer = NULL, *manifest_text = NULL, *index_text = NULL;
	size_t layer_len = 0;
	struct written w = { { 0 }, 0 };
	bool made = false, claimed = false;
	int r;

	r = export_oci(ir, warnings, &layer, &layer_len, reterr);
	if (r == 0)
		r = export_oci_json(ir, NULL, &root, reterr);
	if (r == 0)
		r = check_profile(root, layer_len, reterr);
	json_decref(root);
	if (r < 0) {
		free(layer);
		return r;
	}
	layer_desc = descriptor(LAYER_TYPE, layer, layer_len);
	json_object_set_new(layer_desc, "annotations",
			    json_pack("{s:s}", "org.opencontainers.image.title", "profile.json"));
	manifest = json_pack("{s:i, s:s, s:s, s:o, s:[o]}", "schemaVersion", 2, "mediaType", MANIFEST_TYPE,
			     "artifactType", ARTIFACT_TYPE, "config",
			     descriptor(ARTIFACT_TYPE, CONFIG_BLOB, strlen(CONFIG_BLOB)), "layers", layer_desc);
	manifest_text = json_dumps(manifest, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(manifest);
	index = json_pack("{s:i, s:s, s:[o]}", "schemaVersion", 2, "mediaType", INDEX_TYPE, "manifests",
			  descriptor(MANIFEST_TYPE, manifest_text, strlen(manifest_text)));
	json_object_set_new(json_array_get(json_object_get(index, "manifests"), 0), "artifactType",
			    json_string(ARTIFACT_TYPE));
	json_object_set_new(json_array_get(json_object_get(index, "manifests"), 0), "annotations",
			    json_pack("{s:s}", "org.opencontainers.image.ref.name", "latest"));
	index_text = json_dumps(index, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(index);

	r = claim_dir(dir, &made, reterr);
	claimed = r == 0;
	if (r == 0)
		r = make_subdirs(dir, reterr);
	if (r == 0)
		r = put_blob(&w, dir, layer, layer_len, reterr);
	if (r == 0)
		r = put_blob(&w, dir, CONFIG_BLOB, strlen(CONFIG_BLOB), reterr);
	if (r == 0)
		r = put_blob(&w, dir, manifest_text, strlen(manifest_text), reterr);
	if (r == 0) {
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		r = put(&w, dir, "oci-layout", layout, strlen(layout), reterr);
	}
	if (r == 0)
		r = put(&w, dir, "index.json", index_text, strlen(index_text), reterr);
	if (r < 0 && claimed) /* what was put into a new or empty directory goes again */
		undo(&w, dir, made);
	for (size_t i = 0; i < w.n; i++)
		free(w.path[i]);
	free(layer);
	free(manifest_text);
	free(index_text);
	return r;
}
