/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sha256.h — SHA-256 (FIPS 180-4), for the digests an OCI image layout names its blobs by
 * and the source digest an SPO profile carries.
 */
#ifndef SC_SHA256_H
#define SC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN (2 * SHA256_DIGEST_LEN + 1) /* with its NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t total;     /* bytes hashed so far */
	uint8_t block[64];  /* the partial block */
	size_t fill;        /* bytes in @block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_LEN]);
/* The digest of @data as 64 lowercase hex digits, NUL-terminated. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
