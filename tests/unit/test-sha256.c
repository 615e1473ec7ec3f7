/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for lib/base/sha256.c: the examples FIPS 180-4 publishes (NIST's "abc", the
 * two-block message, a million 'a's), the empty message, and messages whose lengths sit on
 * either side of the padding boundaries (55/56 and 63/64/65 bytes, 119/120), hashed whole
 * and fed in uneven pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/sha256.h"

static void expect_hex(const char *msg, size_t len, const char *want)
{
	char got[SHA256_HEX_LEN];

	sha256_hex(msg, len, got);
	assert_string_equal(got, want);
}

static void test_published_vectors(void **state)
{
	(void)state;
	expect_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		   "klmnopqrlmnopqrsmnopqrstnopqrstu", 112,
		   "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	size_t n = 1000000;
	char *a = malloc(n);

	(void)state;
	assert_non_null(a);
	memset(a, 'a', n);
	expect_hex(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Padding: a message of 55 bytes takes its length in the same block, 56 needs another. */
static void test_boundaries(void **state)
{
	static const struct {
		size_t len;
		const char *hex;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[128];

	(void)state;
	memset(a, 'a', sizeof(a));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		expect_hex(a, v[i].len, v[i].hex);
}

/* Fed in pieces of every size from 1 to 70, the digest is the one-shot digest. */
static void test_pieces(void **state)
{
	static const char want[] = "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb";
	char a[119];

	(void)state;
	memset(a, 'a', sizeof(a));
	for (size_t piece = 1; piece <= 70; piece++) {
		uint8_t d[SHA256_DIGEST_LEN];
		char hex[SHA256_HEX_LEN];
		struct sha256 s;
		sha256_init(&s);
		for (size_t at = 0; at < sizeof(a); at += piece)
			sha256_update(&s, a + at, at + piece <= sizeof(a) ? piece : sizeof(a) - at);
		sha256_final(&s, d);
		for (size_t i = 0; i < sizeof(d); i++)
			snprintf(hex + 2 * i, 3, "%02x", d[i]);
		assert_string_equal(hex, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
