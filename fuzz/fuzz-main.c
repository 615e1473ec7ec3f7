/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-main.c — runs a fuzz target's LLVMFuzzerTestOneInput() over saved inputs, so each
 * corpus replays in `meson test` under any compiler (systemd's fuzz-main.c does the same).
 *
 *	fuzz-toml-replay fuzz/corpus/toml/ crash-1234...
 *
 * Arguments are files or directories (whose regular files are run, not recursively).
 * Exits 0 after printing how many inputs ran; a failing input aborts inside the target.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "fuzz-main: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 4096) {
			uint8_t *b = realloc(buf, cap ? cap * 2 : 8192);
			if (!b) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = b;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz-main: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* an exact-size copy, so that reading one byte too far is caught by ASan */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t count = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		char **names = NULL;
		size_t n = 0;
		struct dirent *de;
		DIR *dir;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "fuzz-main: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) < 0)
				return 1;
			count++;
			continue;
		}
		dir = opendir(argv[i]);
		if (!dir) {
			fprintf(stderr, "fuzz-main: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		/* in name order, so a failure is reproducible by position too */
		while ((de = readdir(dir))) {
			char **nn;
			if (de->d_name[0] == '.')
				continue;
			nn = realloc(names, (n + 1) * sizeof(*names));
			if (!nn)
				return 1;
			names = nn;
			size_t sz = strlen(argv[i]) + strlen(de->d_name) + 2;
			names[n] = malloc(sz);
			if (!names[n])
				return 1;
			snprintf(names[n], sz, "%s/%s", argv[i], de->d_name);
			n++;
		}
		closedir(dir);
		if (n)
			qsort(names, n, sizeof(*names), cmp);
		for (size_t k = 0; k < n; k++) {
			if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
				if (run_file(names[k]) < 0)
					return 1;
				count++;
			}
			free(names[k]);
		}
		free(names);
	}
	printf("%zu inputs replayed\n", count);
	return 0;
}
