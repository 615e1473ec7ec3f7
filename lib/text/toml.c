/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * toml.c — the TOML 1.0.0 parser: bytes in memory → a tree of struct toml_value.
 *
 * One pass, recursive descent, no separate lexer: TOML's grammar depends on context
 * (a bare "1979-05-27" is a key on the left of '=' and a date on the right), so each
 * production reads the bytes it needs. Values are built detached and linked into the
 * tree only when complete, so an error anywhere frees everything through the root.
 *
 * Positions are not tracked while scanning. pos_of() computes a line and column on
 * demand from a cursor that remembers the last answer; the parser asks in document order
 * almost always, so the total cost stays linear.
 *
 * The rules on who may add to a table (TOML 1.0.0 "Table" and "Array of Tables") are
 * kept as flags on each table; see enum table_flags.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "text/toml.h"

/* How a table or array came to be, which decides what may add to it later. */
enum table_flags {
	TF_IMPLICIT = 1 << 0, /* made on the way to a [header]; a later [header] may define it */
	TF_DEFINED  = 1 << 1, /* defined by a [header] or [[header]], or the root */
	TF_DOTTED   = 1 << 2, /* made by a dotted key: later dotted keys may add to it */
	TF_INLINE   = 1 << 3, /* an inline table or made inside one: sealed once written */
	TF_AOT      = 1 << 4, /* an array made by [[header]]: later [[header]]s append to it */
};

/* A table's key and value. Keys up to ENTRY_KEY_INLINE bytes (every key of a policy) are
 * kept in the entry itself, longer ones in a block of their own (its pointer stored in
 * key[4..]): a malloc'd block per key cost more than the key, 60,000 of them in a
 * 10,000-rule policy. */
#define ENTRY_KEY_INLINE 11
struct entry {
	struct toml_value *val;
	struct toml_pos pos;
	uint32_t keylen;
	char key[ENTRY_KEY_INLINE + 1]; /* NUL-terminated, or (longer) a char * at key + 4 */
};
_Static_assert(sizeof(struct entry) == 32, "a TOML table entry grew past 32 bytes");

/* Strings up to this many bytes live in their value node (with their NUL): a policy's
 * names and actions are short, and a block of their own cost them 32 bytes more. */
#define STR_INLINE 7

struct toml_value {
	unsigned char type;
	unsigned char flags;
	unsigned short depth;
	uint32_t len; /* a string's bytes, an array's items, a table's entries */
	struct toml_pos pos;
	union {
		char *ptr;                /* a string longer than STR_INLINE */
		char inl[STR_INLINE + 1]; /* a shorter one */
		int64_t i;
		double f;
		bool b;
		struct toml_dt *dt;       /* out of line: rare, and the largest member */
		struct toml_value **items; /* room for array_room(len) */
		struct tab *tab;          /* room for table_room(len) entries; NULL while empty */
	} u;
};
/* A value is one node per key, array item and table of a document; kept at 24 bytes (malloc's
 * block for it at 32) because a 10,000-rule policy makes 90,000 of them. Lengths are 32-bit:
 * a document is at most TOML_MAX_SIZE (1 GiB) long. How much room an array or a table has
 * follows from its length (the rooms double from a fixed first one), so it is not stored. */
_Static_assert(sizeof(struct toml_value) == 24, "a TOML value node grew past 24 bytes");

/* A table's entries, and its index when large. */
struct tab {
	struct tab_index *ix; /* NULL while small */
	struct entry ents[];
};

struct toml_dt {
	struct toml_datetime parts;
	char text[40];
};

/* A large table's hash index: open addressing, entry index + 1 per slot (0: empty). */
struct tab_index {
	size_t nslots;
	uint32_t seed;   /* of the index's hash */
	uint32_t slot[];
};

/* Tables up to this size are searched linearly; beyond it they get a hash index, so that
 * a document with a million keys in one table does not take quadratic time. */
#define TABLE_LINEAR_MAX 8

struct buf {
	char *data;
	size_t len, cap;
};

/* One part of a dotted key: its text in keypath.text, and where it was written. */
struct keypart {
	size_t off, len;
	const char *src;
};

struct keypath {
	struct buf text;
	struct keypart *parts;
	size_t n, cap;
};

struct parser {
	const char *start, *p, *end;
	const char *pc_ptr; /* position cursor: pos_of()'s last answer */
	unsigned pc_line, pc_col;
	struct toml_error *err;
	bool failed;
	struct toml_value *root, *cur; /* cur: the table that key/value lines go to */
	struct buf sb;                 /* a string or number being read */
	struct keypath kp;
	locale_t cloc;
	uint32_t seed;                 /* for the tables' hash indexes */
	char fbuf[64];                 /* found()'s answer */
	char pbuf[256];                /* path_text()'s answer */
	char curpath[128];             /* the current [table]'s name, for messages */
};

/* --- small helpers ----------------------------------------------------------------- */

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '-';
}

static int hex_val(int c)
{
	if (is_digit(c))
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* The byte @k ahead of the cursor, or -1 past the end. */
static int peek(const struct parser *P, size_t k)
{
	return (size_t)(P->end - P->p) > k ? (unsigned char)P->p[k] : -1;
}

/*
 * Decode one UTF-8 sequence at @s. Returns its length and sets *@ret_cp, or 0 when it is
 * not well-formed: overlong forms, surrogates, code points past U+10FFFF and truncated
 * sequences are all rejected (RFC 3629).
 */
static size_t utf8_decode(const char *s, const char *end, uint32_t *ret_cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t avail = (size_t)(end - s), n, i;
	uint32_t cp;

	if (avail == 0)
		return 0;
	if (u[0] < 0x80) {
		*ret_cp = u[0];
		return 1;
	}
	if (u[0] < 0xc2) /* a continuation byte, or an overlong 2-byte form */
		return 0;
	if (u[0] < 0xe0) {
		n = 2;
		cp = u[0] & 0x1f;
	} else if (u[0] < 0xf0) {
		n = 3;
		cp = u[0] & 0x0f;
	} else if (u[0] < 0xf5) {
		n = 4;
		cp = u[0] & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return n;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int buf_reserve(struct buf *b, size_t more)
{
	size_t cap;
	char *d;

	if (b->cap - b->len > more)
		return 0;
	if (more > TOML_MAX_SIZE * 4)
		return -1;
	cap = b->cap ? b->cap : 64;
	while (cap - b->len <= more)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d)
		return -1;
	b->data = d;
	b->cap = cap;
	return 0;
}

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0'; /* reserve() keeps a byte spare for this */
	return 0;
}

static char *memdup0(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* --- positions and errors ---------------------------------------------------------- */

/*
 * Line and column of @q. Forward from the cursor costs the distance; backward within a
 * line costs the distance too (a header's '[' is asked for after its name); backward over
 * a newline rescans that line.
 */
static struct toml_pos pos_of(struct parser *P, const char *q)
{
	const char *s;

	if (q > P->end)
		q = P->end;
	if (q < P->start)
		q = P->start;
	if (q < P->pc_ptr) {
		bool crossed = false;

		for (s = P->pc_ptr; s > q;) {
			s--;
			if (*s == '\n') {
				P->pc_line--;
				crossed = true;
			} else if (((unsigned char)*s & 0xc0) != 0x80) {
				P->pc_col--;
			}
		}
		if (crossed) {
			const char *ls = q;

			while (ls > P->start && ls[-1] != '\n')
				ls--;
			P->pc_col = 1;
			for (s = ls; s < q; s++)
				if (((unsigned char)*s & 0xc0) != 0x80)
					P->pc_col++;
		}
		P->pc_ptr = q;
	}
	for (s = P->pc_ptr; s < q; s++) {
		if (*s == '\n') {
			P->pc_line++;
			P->pc_col = 1;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			P->pc_col++;
		}
	}
	P->pc_ptr = q;
	return (struct toml_pos){ P->pc_line, P->pc_col };
}

/* What is at @q, for "found ...": a word, a character, end of line or end of file. */
static const char *found(struct parser *P, const char *q)
{
	unsigned char c;
	uint32_t cp;
	size_t n;

	if (q >= P->end)
		return "end of file";
	c = (unsigned char)*q;
	if (c == '\n' || (c == '\r' && q + 1 < P->end && q[1] == '\n'))
		return "end of line";
	if (is_bare(c)) {
		/* a whole word says more than its first letter: found 'yes' */
		n = 0;
		while (q + n < P->end && is_bare((unsigned char)q[n]) && n < 24)
			n++;
		snprintf(P->fbuf, sizeof(P->fbuf), "'%.*s%s'", (int)n, q,
			 q + n < P->end && is_bare((unsigned char)q[n]) ? "..." : "");
	} else if (c == '\r') {
		snprintf(P->fbuf, sizeof(P->fbuf), "a carriage return without a line feed");
	} else if (c == '\t') {
		snprintf(P->fbuf, sizeof(P->fbuf), "a tab");
	} else if (c < 0x20 || c == 0x7f) {
		snprintf(P->fbuf, sizeof(P->fbuf), "control character U+%04X", c);
	} else if (c < 0x80) {
		snprintf(P->fbuf, sizeof(P->fbuf), "'%c'", c);
	} else if ((n = utf8_decode(q, P->end, &cp)) > 0) {
		snprintf(P->fbuf, sizeof(P->fbuf), "'%.*s' (U+%04X)", (int)n, q, (unsigned)cp);
	} else {
		snprintf(P->fbuf, sizeof(P->fbuf), "invalid UTF-8 byte 0x%02X", c);
	}
	return P->fbuf;
}

/* Record the first error, at @at. Always returns -1, so callers can `return fail(...)`. */
static int fail(struct parser *P, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct parser *P, const char *at, const char *fmt, ...)
{
	struct toml_pos pos;
	va_list ap;
	int n;

	if (P->failed)
		return -1;
	P->failed = true;
	if (!P->err)
		return -1;
	pos = pos_of(P, at);
	P->err->line = pos.line;
	P->err->col = pos.col;
	va_start(ap, fmt);
	n = vsnprintf(P->err->msg, sizeof(P->err->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(P->err->msg)) {
		/* cut short: drop a UTF-8 sequence left incomplete at the end */
		char *m = P->err->msg;
		size_t len = strlen(m), k = len;
		uint32_t cp;

		while (k > 0 && ((unsigned char)m[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)m[k - 1] >= 0xc0 &&
		    utf8_decode(m + k - 1, m + len, &cp) != len - k + 1)
			m[k - 1] = '\0';
	}
	return -1;
}

static int oom(struct parser *P)
{
	return fail(P, P->p, "out of memory");
}

/* A key or dotted key as it reads in messages: a.b."c d", cut short when long. */
static const char *key_text(const char *k, size_t len, char *out, size_t size)
{
	bool bare = len > 0;
	size_t o = 0, i;

	for (i = 0; i < len && bare; i++)
		bare = is_bare((unsigned char)k[i]);
	if (bare) {
		snprintf(out, size, "%.*s%s", len > 40 ? 40 : (int)len, k, len > 40 ? "..." : "");
		return out;
	}
	out[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)k[i];
		/* stop when long enough, but not inside a UTF-8 sequence; 4 bytes + "...\"" fit */
		if ((i >= 40 || o + 12 >= size) && (c & 0xc0) != 0x80)
			break;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\u%04X", c);
		else
			out[o++] = (char)c;
	}
	if (i < len)
		o += (size_t)snprintf(out + o, size - o, "...");
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* The first @n parts of the parser's key path, joined with dots, after @prefix. */
static const char *path_text_in(struct parser *P, const char *prefix, size_t n)
{
	char *out = P->pbuf;
	size_t size = sizeof(P->pbuf), o = 0;

	o = (size_t)snprintf(out, size, "%s%s", prefix, prefix[0] ? "." : "");
	for (size_t i = 0; i < n; i++) {
		char part[64];
		const struct keypart *kp = &P->kp.parts[i];

		if (o + sizeof(part) + 5 > size) {
			/* whole parts only, so no UTF-8 sequence is cut */
			snprintf(out + o, size - o, "...");
			break;
		}
		key_text(P->kp.text.data + kp->off, kp->len, part, sizeof(part));
		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "." : "", part);
	}
	return out;
}

static const char *path_text(struct parser *P, size_t n)
{
	return path_text_in(P, "", n);
}

/* --- the tree ---------------------------------------------------------------------- */

/* A string value's text: in its node, or (longer) in its own block. */
static const char *str_text(const struct toml_value *v)
{
	return v->len <= STR_INLINE ? v->u.inl : v->u.ptr;
}

/* The key of @e: in the entry, or (longer) in its own block. */
static const char *entry_key(const struct entry *e)
{
	const char *k;

	if (e->keylen <= ENTRY_KEY_INLINE)
		return e->key;
	memcpy(&k, e->key + 4, sizeof(k));
	return k;
}

static void value_free(struct toml_value *v)
{
	if (!v)
		return;
	switch ((enum toml_type)v->type) {
	case TOML_TABLE:
		for (size_t i = 0; i < v->len; i++) {
			if (v->u.tab->ents[i].keylen > ENTRY_KEY_INLINE)
				free((char *)entry_key(&v->u.tab->ents[i]));
			value_free(v->u.tab->ents[i].val);
		}
		if (v->u.tab)
			free(v->u.tab->ix);
		free(v->u.tab);
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < v->len; i++)
			value_free(v->u.items[i]);
		free(v->u.items);
		break;
	case TOML_STRING:
		if (v->len > STR_INLINE)
			free(v->u.ptr);
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		free(v->u.dt);
		break;
	case TOML_INTEGER:
	case TOML_FLOAT:
	case TOML_BOOL:
	case TOML_TYPE_COUNT:
		break;
	}
	free(v);
}

/* A new value of @type written at @at, @depth containers deep. */
static struct toml_value *value_new(struct parser *P, enum toml_type type, const char *at,
				    unsigned depth)
{
	struct toml_value *v;

	if (depth > TOML_MAX_DEPTH) {
		fail(P, at, "values nested too deeply (the limit is %d levels)", TOML_MAX_DEPTH);
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		oom(P);
		return NULL;
	}
	v->type = (unsigned char)type;
	v->depth = (unsigned short)depth;
	v->pos = pos_of(P, at);
	return v;
}

/*
 * FNV-1a from a per-parse random basis, then murmur3's finaliser so the low bits (the
 * slot) depend on every byte. The random basis keeps a document from being built to put
 * all its keys in one probe chain, which would make loading it quadratic.
 * XXX a keyed hash like SipHash would be a stronger defence.
 */
static uint32_t key_hash(const char *k, size_t len, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static bool key_eq(const struct entry *e, const char *k, size_t len)
{
	return e->keylen == len && memcmp(entry_key(e), k, len) == 0;
}

static struct entry *table_find(const struct toml_value *t, const char *k, size_t len)
{
	const struct tab_index *ix = t->u.tab ? t->u.tab->ix : NULL;

	if (ix) {
		size_t mask = ix->nslots - 1, h = key_hash(k, len, ix->seed) & mask;
		uint32_t slot;

		while ((slot = ix->slot[h]) != 0) {
			struct entry *e = &t->u.tab->ents[slot - 1];
			if (key_eq(e, k, len))
				return e;
			h = (h + 1) & mask;
		}
		return NULL;
	}
	for (size_t i = 0; i < t->len; i++)
		if (key_eq(&t->u.tab->ents[i], k, len))
			return &t->u.tab->ents[i];
	return NULL;
}

static void index_put(struct toml_value *t, size_t i)
{
	const struct entry *e = &t->u.tab->ents[i];
	struct tab_index *ix = t->u.tab->ix;
	size_t mask = ix->nslots - 1, h = key_hash(entry_key(e), e->keylen, ix->seed) & mask;

	while (ix->slot[h])
		h = (h + 1) & mask;
	ix->slot[h] = (uint32_t)(i + 1);
}

/* A table's first room: a policy's tables have three keys (names, action, conditions;
 * index, type, value), and room for four cost each of them 32 bytes, 20,000 tables in a
 * 10,000-rule policy. (Arrays start at one item: most of a policy's hold one.) */
#define TABLE_FIRST_ROOM 3

/* The room a table of @len entries has: the first room, doubled as often as it took. */
static size_t table_room(size_t len)
{
	size_t room = TABLE_FIRST_ROOM;

	if (len == 0)
		return 0;
	while (room < len)
		room *= 2;
	return room;
}

/* The room an array of @len items has: 1, 2, 4 ... */
static size_t array_room(size_t len)
{
	size_t room = 1;

	if (len == 0)
		return 0;
	while (room < len)
		room *= 2;
	return room;
}

/* Append a copy of key @key (@keylen bytes) → @val (not taken on failure). */
static int table_add(struct parser *P, struct toml_value *t, const char *key, size_t keylen,
		     struct toml_pos pos, struct toml_value *val)
{
	size_t n = t->len;
	struct entry *e;

	if (n == table_room(n)) {
		size_t room = n ? n * 2 : TABLE_FIRST_ROOM;
		struct tab *tab = realloc(t->u.tab, sizeof(*tab) + room * sizeof(tab->ents[0]));
		if (!tab)
			return oom(P);
		if (n == 0)
			tab->ix = NULL;
		t->u.tab = tab;
	}
	e = &t->u.tab->ents[n];
	memset(e, 0, sizeof(*e));
	e->val = val;
	e->pos = pos;
	e->keylen = (uint32_t)keylen;
	if (keylen <= ENTRY_KEY_INLINE) {
		memcpy(e->key, key, keylen);
	} else {
		char *k = memdup0(key, keylen);
		if (!k)
			return oom(P);
		memcpy(e->key + 4, &k, sizeof(k));
	}
	t->len = (uint32_t)(n + 1);
	if (n + 1 > TABLE_LINEAR_MAX && (n + 1) * 2 > (t->u.tab->ix ? t->u.tab->ix->nslots : 0)) {
		/* (re)build at a load factor of at most 1/2 */
		size_t nslots = t->u.tab->ix ? t->u.tab->ix->nslots * 2 : 32;
		struct tab_index *ix = calloc(1, sizeof(*ix) + nslots * sizeof(ix->slot[0]));
		if (!ix) {
			t->len = (uint32_t)n; /* the caller still owns val */
			if (keylen > ENTRY_KEY_INLINE)
				free((char *)entry_key(e));
			return oom(P);
		}
		ix->nslots = nslots;
		ix->seed = P->seed;
		free(t->u.tab->ix);
		t->u.tab->ix = ix;
		for (size_t i = 0; i <= n; i++)
			index_put(t, i);
	} else if (t->u.tab->ix) {
		index_put(t, n);
	}
	return 0;
}

static int array_push(struct parser *P, struct toml_value *a, struct toml_value *v)
{
	if (a->len == array_room(a->len)) {
		size_t room = a->len ? a->len * 2u : 1;
		struct toml_value **items = realloc(a->u.items, room * sizeof(*items));
		if (!items)
			return oom(P);
		a->u.items = items;
	}
	a->u.items[a->len++] = v;
	return 0;
}

/* --- whitespace, comments, newlines ------------------------------------------------ */

static void skip_ws(struct parser *P)
{
	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t'))
		P->p++;
}

/* A comment up to (not including) its end of line. TOML forbids control characters
 * other than tab in comments, and the whole document must be valid UTF-8. */
static int skip_comment(struct parser *P)
{
	if (P->p >= P->end || *P->p != '#')
		return 0;
	for (P->p++; P->p < P->end; P->p++) {
		unsigned char c = (unsigned char)*P->p;
		uint32_t cp;
		size_t n;

		if (c == '\n' || c == '\r')
			break; /* the caller checks that a CR comes with its LF */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(P, P->p, "control character U+%04X is not allowed in a comment",
				    c);
		if (c >= 0x80) {
			n = utf8_decode(P->p, P->end, &cp);
			if (n == 0)
				return fail(P, P->p, "invalid UTF-8 in a comment (byte 0x%02X)", c);
			P->p += n - 1;
		}
	}
	return 0;
}

/* Consume one newline if there is one: 1 if consumed, 0 if not, -1 for a lone CR. */
static int eat_newline(struct parser *P)
{
	if (P->p < P->end && *P->p == '\n') {
		P->p++;
		return 1;
	}
	if (P->p < P->end && *P->p == '\r') {
		if (peek(P, 1) == '\n') {
			P->p += 2;
			return 1;
		}
		return fail(P, P->p, "expected a line feed after a carriage return, found %s",
			    found(P, P->p + 1));
	}
	return 0;
}

/* Whitespace, comments and newlines, as allowed between array elements. */
static int skip_space(struct parser *P)
{
	for (;;) {
		int r;

		skip_ws(P);
		if (skip_comment(P) < 0)
			return -1;
		r = eat_newline(P);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
	}
}

/* After a key/value or a header only a comment may follow on the line. */
static int expect_eol(struct parser *P, const char *after)
{
	int r;

	skip_ws(P);
	if (skip_comment(P) < 0)
		return -1;
	if (P->p >= P->end)
		return 0;
	r = eat_newline(P);
	if (r != 0)
		return r < 0 ? -1 : 0;
	return fail(P, P->p, "expected end of line after %s, found %s", after, found(P, P->p));
}

/* --- strings ----------------------------------------------------------------------- */

static int string_char(struct parser *P, struct buf *b, const char *what)
{
	unsigned char c = (unsigned char)*P->p;
	uint32_t cp;
	size_t n;

	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return fail(P, P->p, "control character U+%04X must be escaped in %s", c, what);
	if (c < 0x80) {
		/* copy the run of plain characters in one go */
		const char *s = P->p;
		while (P->p < P->end) {
			c = (unsigned char)*P->p;
			if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '\'')
				break;
			P->p++;
		}
		if (P->p == s)
			P->p++; /* a lone tab or a quote of the other kind */
		return buf_add(b, s, (size_t)(P->p - s)) < 0 ? oom(P) : 0;
	}
	n = utf8_decode(P->p, P->end, &cp);
	if (n == 0)
		return fail(P, P->p, "invalid UTF-8 in %s (byte 0x%02X)", what, c);
	if (buf_add(b, P->p, n) < 0)
		return oom(P);
	P->p += n;
	return 0;
}

static int escape(struct parser *P, struct buf *b, bool multi)
{
	const char *at = P->p; /* the backslash */
	int c = peek(P, 1);
	char out[4];
	size_t n, i;
	uint32_t cp = 0;
	const char *simple = NULL;

	switch (c) {
	case 'b': simple = "\b"; break;
	case 't': simple = "\t"; break;
	case 'n': simple = "\n"; break;
	case 'f': simple = "\f"; break;
	case 'r': simple = "\r"; break;
	case '"': simple = "\""; break;
	case '\\': simple = "\\"; break;
	case 'u':
	case 'U':
		n = c == 'u' ? 4 : 8;
		for (i = 0; i < n; i++) {
			int h = peek(P, 2 + i);
			if (h < 0 || !is_hex(h))
				return fail(
				    P, P->p + 2 + i,
				    "expected %zu hexadecimal digits after '\\%c', found %s", n, c,
				    found(P, P->p + 2 + i));
			cp = cp << 4 | (uint32_t)hex_val(h);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(P, at, "'\\%c%.*s' is not a Unicode scalar value", c, (int)n,
				    at + 2);
		P->p += 2 + n;
		n = utf8_encode(cp, out);
		return buf_add(b, out, n) < 0 ? oom(P) : 0;
	case ' ':
	case '\t':
	case '\n':
	case '\r':
		if (multi) {
			/* line-ending backslash: drop it and all whitespace up to the next text */
			const char *q = P->p + 1;
			while (q < P->end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < P->end &&
			    (*q == '\n' || (*q == '\r' && q + 1 < P->end && q[1] == '\n'))) {
				P->p = q;
				for (;;) {
					int r;
					skip_ws(P);
					r = eat_newline(P);
					if (r < 0)
						return -1;
					if (r == 0)
						return 0;
				}
			}
			return fail(P, at, "a backslash followed by spaces must end the line in a "
					   "multi-line string");
		}
		break;
	default:
		break;
	}
	if (simple) {
		P->p += 2;
		return buf_add(b, simple, 1) < 0 ? oom(P) : 0;
	}
	if (c >= 0x21 && c < 0x7f)
		return fail(P, at, "invalid escape sequence '\\%c'", c);
	return fail(P, at + 1, "expected an escape sequence after '\\', found %s",
		    found(P, at + 1));
}

/*
 * A string of any of the four kinds, cursor on its opening quote, into @b (reset first).
 * @allow_multi is false for keys, which may not be multi-line strings.
 */
static int parse_string(struct parser *P, struct buf *b, bool allow_multi)
{
	const char *open = P->p;
	char q = *P->p;
	bool literal = q == '\'';
	bool multi = peek(P, 1) == q && peek(P, 2) == q;
	const char *what = literal ? (multi ? "a multi-line literal string" : "a literal string")
				   : (multi ? "a multi-line string" : "a string");
	const char *delim = literal ? (multi ? "\"'''\"" : "\"'\"") : (multi ? "'\"\"\"'" : "'\"'");

	b->len = 0;
	if (buf_reserve(b, 1) < 0)
		return oom(P);
	b->data[0] = '\0';
	if (multi && !allow_multi)
		return fail(P, open, "expected a key, found a multi-line string");
	P->p += multi ? 3 : 1;
	if (multi && eat_newline(P) < 0) /* a newline right after the delimiter is trimmed */
		return -1;
	for (;;) {
		if (P->p >= P->end) {
			struct toml_pos op = pos_of(P, open);
			return fail(P, P->p,
				    "expected %s to close the string opened at %u:%u, found "
				    "end of file",
				    delim, op.line, op.col);
		}
		if (*P->p == q) {
			size_t n = 1;
			if (!multi) {
				P->p++;
				return 0;
			}
			while (P->p + n < P->end && P->p[n] == q)
				n++;
			if (n >= 3) {
				/* up to two quotes may sit right before the closing three */
				if (n > 5)
					return fail(P, P->p + 5, "too many quotes at the end of %s",
						    what);
				if (buf_add(b, P->p, n - 3) < 0)
					return oom(P);
				P->p += n;
				return 0;
			}
			if (buf_add(b, P->p, n) < 0)
				return oom(P);
			P->p += n;
			continue;
		}
		if (*P->p == '\\' && !literal) {
			if (escape(P, b, multi) < 0)
				return -1;
			continue;
		}
		if (*P->p == '\n' || *P->p == '\r') {
			int r;
			if (!multi)
				return fail(P, P->p, "expected %s to close the string, found %s",
					    delim, found(P, P->p));
			r = eat_newline(P);
			if (r < 0)
				return -1;
			/* CRLF is kept as LF, as the spec allows: the same text on any host */
			if (buf_add(b, "\n", 1) < 0)
				return oom(P);
			continue;
		}
		if (string_char(P, b, what) < 0)
			return -1;
	}
}

/* --- keys -------------------------------------------------------------------------- */

/* key = simple-key *( ws "." ws simple-key ), into P->kp. Skips whitespace after it. */
static int parse_key(struct parser *P)
{
	struct keypath *kp = &P->kp;

	kp->n = 0;
	kp->text.len = 0;
	for (;;) {
		struct keypart part;
		const char *s = P->p;
		int c = peek(P, 0);

		if (kp->n >= TOML_MAX_DEPTH)
			return fail(P, s, "key has too many parts (the limit is %d)",
				    TOML_MAX_DEPTH);
		if (c >= 0 && is_bare(c)) {
			while (P->p < P->end && is_bare((unsigned char)*P->p))
				P->p++;
			part.off = kp->text.len;
			part.len = (size_t)(P->p - s);
			if (buf_add(&kp->text, s, part.len) < 0)
				return oom(P);
		} else if (c == '"' || c == '\'') {
			if (parse_string(P, &P->sb, false) < 0)
				return -1;
			part.off = kp->text.len;
			part.len = P->sb.len;
			if (buf_add(&kp->text, P->sb.data, P->sb.len) < 0)
				return oom(P);
		} else {
			return fail(P, s, "expected a key, found %s", found(P, s));
		}
		part.src = s;
		if (kp->n == kp->cap) {
			size_t cap = kp->cap ? kp->cap * 2 : 8;
			struct keypart *parts = realloc(kp->parts, cap * sizeof(*parts));
			if (!parts)
				return oom(P);
			kp->parts = parts;
			kp->cap = cap;
		}
		kp->parts[kp->n++] = part;
		skip_ws(P);
		if (peek(P, 0) != '.')
			return 0;
		P->p++;
		skip_ws(P);
	}
}

/* --- numbers, dates and times ------------------------------------------------------ */

static bool is_tokc(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

static bool digit_in(int c, int base)
{
	switch (base) {
	case 16: return is_hex(c);
	case 8: return c >= '0' && c <= '7';
	case 2: return c == '0' || c == '1';
	default: return is_digit(c);
	}
}

/* Digits in @base from @q, single underscores only between digits. Returns the end of
 * the run, or NULL after failing. */
static const char *digit_run(struct parser *P, const char *q, const char *e, int base,
			     const char *what)
{
	if (q >= e || !digit_in((unsigned char)*q, base)) {
		fail(P, q, "expected %s, found %s", what, q >= e ? found(P, e) : found(P, q));
		return NULL;
	}
	while (q < e) {
		if (digit_in((unsigned char)*q, base)) {
			q++;
		} else if (*q == '_') {
			if (q + 1 >= e || !digit_in((unsigned char)q[1], base)) {
				fail(P, q + 1, "expected a digit after '_', found %s",
				     found(P, q + 1));
				return NULL;
			}
			q++;
		} else {
			break;
		}
	}
	return q;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Exactly @n digits at *@q (within @e) into *@ret: "1987-7-05" says the month is '7'. */
static int fixed_digits(struct parser *P, const char **q, const char *e, int n, const char *what,
			int *ret)
{
	const char *s = *q;
	int v = 0, m = 0;

	while (s + m < e && is_digit((unsigned char)s[m]) && m <= n)
		m++;
	if (m == 0)
		return fail(P, s, "expected a %d-digit %s, found %s", n, what, found(P, s));
	if (m != n) {
		while (s + m < e && is_digit((unsigned char)s[m]))
			m++;
		return fail(P, s, "expected a %d-digit %s, found '%.*s'", n, what,
			    m > 20 ? 20 : m, s);
	}
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*q = s + n;
	*ret = v;
	return 0;
}

static int expect_char(struct parser *P, const char **q, const char *e, char c, const char *what)
{
	if (*q >= e || **q != c)
		return fail(P, *q, "expected '%c' %s, found %s", c, what,
			    *q >= e ? found(P, e) : found(P, *q));
	(*q)++;
	return 0;
}

static int range(struct parser *P, const char *at, const char *what, int v, int lo, int hi)
{
	if (v < lo || v > hi)
		return fail(P, at, "%s %02d is out of range (%02d to %02d)", what, v, lo, hi);
	return 0;
}

/* A date, time or date-time in [@s, @e): the four TOML types. */
static struct toml_value *parse_datetime(struct parser *P, const char *s, const char *e,
					 unsigned depth)
{
	struct toml_datetime dt = { 0 };
	enum toml_type type;
	const char *q = s;
	bool has_date;
	struct toml_value *v;
	size_t o = 0;
	char *text;

	while (q < e && is_digit((unsigned char)*q))
		q++;
	has_date = q < e && *q == '-';
	q = s;
	if (has_date) {
		if (fixed_digits(P, &q, e, 4, "year", &dt.year) < 0 ||
		    expect_char(P, &q, e, '-', "after the year") < 0 ||
		    fixed_digits(P, &q, e, 2, "month", &dt.month) < 0 ||
		    range(P, q - 2, "month", dt.month, 1, 12) < 0 ||
		    expect_char(P, &q, e, '-', "after the month") < 0 ||
		    fixed_digits(P, &q, e, 2, "day of month", &dt.day) < 0 ||
		    range(P, q - 2, "day of month", dt.day, 1, days_in_month(dt.year, dt.month)) <
			0)
			return NULL;
		if (q == e) {
			type = TOML_DATE_LOCAL;
			goto done;
		}
		if (*q != 'T' && *q != 't' && *q != ' ') {
			fail(P, q, "expected 'T' or a space between date and time, found %s",
			     found(P, q));
			return NULL;
		}
		q++;
	}
	if (fixed_digits(P, &q, e, 2, "hour", &dt.hour) < 0 ||
	    range(P, q - 2, "hour", dt.hour, 0, 23) < 0 ||
	    expect_char(P, &q, e, ':', "after the hour") < 0 ||
	    fixed_digits(P, &q, e, 2, "minute", &dt.minute) < 0 ||
	    range(P, q - 2, "minute", dt.minute, 0, 59) < 0 ||
	    expect_char(P, &q, e, ':', "after the minute") < 0 ||
	    fixed_digits(P, &q, e, 2, "second", &dt.second) < 0 ||
	    range(P, q - 2, "second", dt.second, 0, 60) < 0) /* 60: a leap second */
		return NULL;
	if (q < e && *q == '.') {
		q++;
		if (q >= e || !is_digit((unsigned char)*q)) {
			fail(P, q,
			     "expected a digit after the decimal point in the seconds, found %s",
			     found(P, q));
			return NULL;
		}
		/* keep nanoseconds; the spec says to truncate what is finer, not round */
		for (; q < e && is_digit((unsigned char)*q); q++) {
			if (dt.frac_digits < 9) {
				dt.nanosecond = dt.nanosecond * 10 + (*q - '0');
				dt.frac_digits++;
			}
		}
		for (int i = dt.frac_digits; i < 9; i++)
			dt.nanosecond *= 10;
	}
	if (!has_date) {
		type = TOML_TIME_LOCAL;
	} else if (q == e) {
		type = TOML_DATETIME_LOCAL;
	} else if (*q == 'Z' || *q == 'z') {
		type = TOML_DATETIME;
		dt.offset_z = true;
		q++;
	} else if (*q == '+' || *q == '-') {
		int hh, mm, sign = *q == '-' ? -1 : 1;
		q++;
		if (fixed_digits(P, &q, e, 2, "offset hour", &hh) < 0 ||
		    range(P, q - 2, "offset hour", hh, 0, 23) < 0 ||
		    expect_char(P, &q, e, ':', "in the offset") < 0 ||
		    fixed_digits(P, &q, e, 2, "offset minute", &mm) < 0 ||
		    range(P, q - 2, "offset minute", mm, 0, 59) < 0)
			return NULL;
		type = TOML_DATETIME;
		dt.offset_minutes = sign * (hh * 60 + mm);
	} else {
		fail(P, q, "expected 'Z' or an offset like '+01:00' after the time, found %s",
		     found(P, q));
		return NULL;
	}
	if (q != e) {
		fail(P, q, "unexpected %s after %s", found(P, q),
		     type == TOML_TIME_LOCAL ? "time" : "date-time");
		return NULL;
	}
done:
	v = value_new(P, type, s, depth);
	if (!v)
		return NULL;
	v->u.dt = calloc(1, sizeof(*v->u.dt));
	if (!v->u.dt) {
		value_free(v);
		oom(P);
		return NULL;
	}
	v->u.dt->parts = dt;
	text = v->u.dt->text;
	/* fixed widths, all values range-checked above: at most 35 bytes */
	if (type != TOML_TIME_LOCAL)
		o +=
		    (size_t)snprintf(text + o, 40 - o, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
	if (type != TOML_DATE_LOCAL) {
		o += (size_t)snprintf(text + o, 40 - o, "%s%02d:%02d:%02d",
				      type == TOML_TIME_LOCAL ? "" : "T", dt.hour, dt.minute,
				      dt.second);
		if (dt.frac_digits) {
			int div = 1;
			for (int i = dt.frac_digits; i < 9; i++)
				div *= 10;
			o += (size_t)snprintf(text + o, 40 - o, ".%0*d", dt.frac_digits,
					      dt.nanosecond / div);
		}
	}
	if (type == TOML_DATETIME) {
		int off = dt.offset_minutes < 0 ? -dt.offset_minutes : dt.offset_minutes;
		if (dt.offset_z)
			snprintf(text + o, 40 - o, "Z");
		else
			snprintf(text + o, 40 - o, "%c%02d:%02d", dt.offset_minutes < 0 ? '-' : '+',
				 off / 60, off % 60);
	}
	return v;
}

static struct toml_value *make_float(struct parser *P, const char *s, double d, unsigned depth)
{
	struct toml_value *v = value_new(P, TOML_FLOAT, s, depth);

	if (v)
		v->u.f = d;
	return v;
}

/* An integer or float in [@s, @e). */
static struct toml_value *parse_number(struct parser *P, const char *s, const char *e,
				       unsigned depth)
{
	const char *q = s, *r;
	bool neg = false, sign = false, is_float = false;
	struct toml_value *v;
	uint64_t u = 0, limit;

	if (*q == '+' || *q == '-') {
		sign = true;
		neg = *q == '-';
		q++;
	}
	if (e - q == 3 && (memcmp(q, "inf", 3) == 0 || memcmp(q, "nan", 3) == 0)) {
		double d = q[0] == 'i' ? (double)INFINITY : (double)NAN;
		return make_float(P, s, neg ? -d : d, depth);
	}
	if (e - q > 1 && q[0] == '0' && (q[1] == 'x' || q[1] == 'o' || q[1] == 'b')) {
		int base = q[1] == 'x' ? 16 : q[1] == 'o' ? 8 : 2;
		const char *name = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
		const char *a = base == 8 ? "an" : "a";
		char what[40];

		if (sign) {
			fail(P, s, "%s %s integer may not have a sign", a, name);
			return NULL;
		}
		snprintf(what, sizeof(what), "%s %s digit after '0%c'", a, name, q[1]);
		r = digit_run(P, q + 2, e, base, what);
		if (!r)
			return NULL;
		if (r != e) {
			fail(P, r, "expected %s %s digit, found %s", a, name, found(P, r));
			return NULL;
		}
		for (q += 2; q < e; q++) {
			int dv;
			if (*q == '_')
				continue;
			dv = hex_val((unsigned char)*q);
			if (u > ((uint64_t)INT64_MAX - (uint64_t)dv) / (uint64_t)base) {
				fail(P, s, "integer '%.*s' does not fit in 64 bits",
				     (int)(e - s > 40 ? 40 : e - s), s);
				return NULL;
			}
			u = u * (uint64_t)base + (uint64_t)dv;
		}
		v = value_new(P, TOML_INTEGER, s, depth);
		if (v)
			v->u.i = (int64_t)u;
		return v;
	}
	r = digit_run(P, q, e, 10, "a digit");
	if (!r)
		return NULL;
	if (*q == '0' && r - q > 1) {
		fail(P, q, "leading zeros are not allowed in '%.*s'",
		     (int)(e - s > 40 ? 40 : e - s), s);
		return NULL;
	}
	if (r < e && *r == '.') {
		r = digit_run(P, r + 1, e, 10, "a digit after the decimal point");
		if (!r)
			return NULL;
		is_float = true;
	}
	if (r < e && (*r == 'e' || *r == 'E')) {
		r++;
		if (r < e && (*r == '+' || *r == '-'))
			r++;
		r = digit_run(P, r, e, 10, "a digit in the exponent");
		if (!r)
			return NULL;
		is_float = true;
	}
	if (r != e) {
		fail(P, s, "expected a number, found '%.*s'", (int)(e - s > 40 ? 40 : e - s), s);
		return NULL;
	}
	if (is_float) {
		char *end;
		double d;

		/* strtod() without the underscores, in the C locale whatever the process's */
		P->sb.len = 0;
		for (q = s; q < e; q++)
			if (*q != '_' && buf_add(&P->sb, q, 1) < 0) {
				oom(P);
				return NULL;
			}
		if (!P->cloc) {
			P->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
			if (!P->cloc) {
				oom(P);
				return NULL;
			}
		}
		d = strtod_l(P->sb.data, &end, P->cloc);
		if (end != P->sb.data + P->sb.len || isinf(d)) {
			fail(P, s, "float '%.*s' is out of range", (int)(e - s > 40 ? 40 : e - s),
			     s);
			return NULL;
		}
		return make_float(P, s, d, depth);
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; q < e; q++) {
		unsigned dv;
		if (*q == '_')
			continue;
		dv = (unsigned)(*q - '0');
		if (u > (limit - dv) / 10) {
			fail(P, s, "integer '%.*s' does not fit in 64 bits",
			     (int)(e - s > 40 ? 40 : e - s), s);
			return NULL;
		}
		u = u * 10 + dv;
	}
	v = value_new(P, TOML_INTEGER, s, depth);
	if (v)
		v->u.i = neg ? (int64_t)(0 - u) : (int64_t)u;
	return v;
}

/* A number or date-time starting at the cursor: the token is every character that can
 * occur in one, plus the space in "1979-05-27 07:32:00". */
static struct toml_value *parse_numeric(struct parser *P, unsigned depth)
{
	const char *s = P->p, *q = s, *d;

	while (q < P->end && is_tokc((unsigned char)*q))
		q++;
	if (q - s == 10 && s[4] == '-' && s[7] == '-' && P->end - q >= 4 && q[0] == ' ' &&
	    is_digit((unsigned char)q[1]) && is_digit((unsigned char)q[2]) && q[3] == ':') {
		q++;
		while (q < P->end && is_tokc((unsigned char)*q))
			q++;
	}
	P->p = q;
	/* digits then '-' or ':' can only be a date or a time: "1e-5" has a letter first */
	for (d = s; d < q && is_digit((unsigned char)*d); d++)
		;
	if (d > s && d < q && (*d == '-' || *d == ':'))
		return parse_datetime(P, s, q, depth);
	return parse_number(P, s, q, depth);
}

/* --- values ------------------------------------------------------------------------ */

static struct toml_value *parse_value(struct parser *P, unsigned depth);
static int parse_keyval(struct parser *P, struct toml_value *t);

static struct toml_value *parse_array(struct parser *P, unsigned depth)
{
	const char *open = P->p;
	struct toml_value *a = value_new(P, TOML_ARRAY, open, depth), *v;

	if (!a)
		return NULL;
	P->p++;
	for (;;) {
		if (skip_space(P) < 0)
			goto err;
		if (P->p >= P->end) {
			struct toml_pos op = pos_of(P, open);
			fail(P, P->p,
			     "expected ']' to close the array opened at %u:%u, found end of file",
			     op.line, op.col);
			goto err;
		}
		if (*P->p == ']')
			break;
		v = parse_value(P, depth + 1);
		if (!v)
			goto err;
		if (array_push(P, a, v) < 0) {
			value_free(v);
			goto err;
		}
		if (skip_space(P) < 0)
			goto err;
		if (peek(P, 0) == ',') {
			P->p++;
			continue;
		}
		if (peek(P, 0) == ']')
			break;
		fail(P, P->p, "expected ',' or ']' after an array element, found %s",
		     found(P, P->p));
		goto err;
	}
	P->p++;
	return a;
err:
	value_free(a);
	return NULL;
}

static struct toml_value *parse_inline_table(struct parser *P, unsigned depth)
{
	struct toml_value *t = value_new(P, TOML_TABLE, P->p, depth);

	if (!t)
		return NULL;
	t->flags = TF_INLINE;
	P->p++;
	skip_ws(P);
	if (peek(P, 0) == '}') {
		P->p++;
		return t;
	}
	for (;;) {
		if (parse_keyval(P, t) < 0)
			goto err;
		skip_ws(P);
		if (peek(P, 0) == ',') {
			P->p++;
			skip_ws(P);
			if (peek(P, 0) == '}') {
				fail(P, P->p - 1,
				     "a trailing comma is not allowed in an inline table");
				goto err;
			}
			continue;
		}
		if (peek(P, 0) == '}')
			break;
		fail(P, P->p,
		     "expected ',' or '}' after a key/value in an inline table, found %s%s",
		     found(P, P->p),
		     peek(P, 0) == '\n' || peek(P, 0) == '\r'
			 ? " (an inline table must be on one line)"
			 : "");
		goto err;
	}
	P->p++;
	return t;
err:
	value_free(t);
	return NULL;
}

static struct toml_value *parse_value(struct parser *P, unsigned depth)
{
	const char *s = P->p;
	int c = peek(P, 0);
	size_t n;

	if (c == '"' || c == '\'') {
		struct toml_value *v;

		if (parse_string(P, &P->sb, true) < 0)
			return NULL;
		v = value_new(P, TOML_STRING, s, depth);
		if (!v)
			return NULL;
		v->len = (uint32_t)P->sb.len;
		if (P->sb.len <= STR_INLINE) {
			memcpy(v->u.inl, P->sb.data, P->sb.len);
			v->u.inl[P->sb.len] = '\0';
		} else if (!(v->u.ptr = memdup0(P->sb.data, P->sb.len))) {
			value_free(v);
			oom(P);
			return NULL;
		}
		return v;
	}
	if (c == '[' || c == '{') {
		if (depth > TOML_MAX_DEPTH) {
			/* before recursing: this bounds the parser's own stack */
			fail(P, s, "values nested too deeply (the limit is %d levels)",
			     TOML_MAX_DEPTH);
			return NULL;
		}
		return c == '[' ? parse_array(P, depth) : parse_inline_table(P, depth);
	}
	if (c == '+' || c == '-' || (c >= 0 && is_digit(c)))
		return parse_numeric(P, depth);
	for (n = 0; s + n < P->end && is_bare((unsigned char)s[n]); n++)
		;
	if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0)) {
		struct toml_value *v = value_new(P, TOML_BOOL, s, depth);
		if (v)
			v->u.b = n == 4;
		P->p += n;
		return v;
	}
	if (n == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0))
		return parse_numeric(P, depth);
	fail(P, s, "expected a value, found %s", found(P, s));
	return NULL;
}

/* The type of @v in messages, with its article: "an integer", "a table". */
static const char *a_type(const struct toml_value *v)
{
	switch ((enum toml_type)v->type) {
	case TOML_TABLE: return v->flags & TF_INLINE ? "an inline table" : "a table";
	case TOML_ARRAY: return v->flags & TF_AOT ? "an array of tables" : "an array";
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	case TOML_DATETIME: return "an offset date-time";
	case TOML_DATETIME_LOCAL: return "a local date-time";
	case TOML_DATE_LOCAL: return "a local date";
	case TOML_TIME_LOCAL: return "a local time";
	case TOML_TYPE_COUNT: break;
	}
	return "a value";
}

/* Add key part @i of the key path to @t: a new empty table or array with @flags, written
 * at its key. */
static struct toml_value *add_child(struct parser *P, struct toml_value *t, size_t i,
				    enum toml_type type, unsigned flags)
{
	const struct keypart *kp = &P->kp.parts[i];
	struct toml_value *nt;

	nt = value_new(P, type, kp->src, t->depth + 1u);
	if (!nt)
		return NULL;
	nt->flags = (unsigned char)flags;
	if (table_add(P, t, P->kp.text.data + kp->off, kp->len, nt->pos, nt) < 0) {
		value_free(nt);
		return NULL;
	}
	return nt;
}

/*
 * key = value, into table @t: the current [table], or an inline table being read.
 * Dotted keys make tables on the way, and may only go into tables they made.
 */
static int parse_keyval(struct parser *P, struct toml_value *t)
{
	struct toml_value *tbl = t, *v;
	const struct keypart *last;
	struct entry *e;
	struct toml_pos kpos;
	const char *prefix;
	char shortkey[ENTRY_KEY_INLINE + 1], *key;
	size_t i, keylen;

	/* messages name keys in full: "a.b.c", not "c", in the [a.b] section */
	prefix = t == P->cur ? P->curpath : "";
	if (parse_key(P) < 0)
		return -1;
	if (peek(P, 0) != '=')
		return fail(P, P->p, "expected '=' after key, found %s", found(P, P->p));
	P->p++;
	skip_ws(P);
	for (i = 0; i + 1 < P->kp.n; i++) {
		const struct keypart *kp = &P->kp.parts[i];

		e = table_find(tbl, P->kp.text.data + kp->off, kp->len);
		if (!e) {
			tbl =
			    add_child(P, tbl, i, TOML_TABLE, TF_DOTTED | (tbl->flags & TF_INLINE));
			if (!tbl)
				return -1;
			continue;
		}
		v = e->val;
		if (v->type == TOML_TABLE && (v->flags & TF_DOTTED)) {
			tbl = v;
			continue;
		}
		if (v->type == TOML_TABLE && (v->flags & TF_INLINE))
			return fail(P, kp->src, "cannot add keys to inline table '%s' (defined at "
						"%u:%u): inline tables are complete as written",
				    path_text_in(P, prefix, i + 1), e->pos.line, e->pos.col);
		if (v->type == TOML_TABLE)
			return fail(P, kp->src,
				    "cannot add keys to table '%s' with a dotted key: it "
				    "was made by a [table] header",
				    path_text_in(P, prefix, i + 1));
		return fail(P, kp->src, "key '%s' is already %s (defined at %u:%u), not a table",
			    path_text_in(P, prefix, i + 1), a_type(v), e->pos.line,
			    e->pos.col);
	}
	last = &P->kp.parts[i];
	e = table_find(tbl, P->kp.text.data + last->off, last->len);
	if (e)
		return fail(P, last->src, "duplicate key '%s' (first defined at %u:%u)",
			    path_text_in(P, prefix, i + 1), e->pos.line, e->pos.col);
	kpos = pos_of(P, last->src);
	keylen = last->len;
	/* keys inside the value reuse P->kp: a copy of this one, on the stack when short */
	key = keylen < sizeof(shortkey) ? shortkey : malloc(keylen + 1);
	if (!key)
		return oom(P);
	memcpy(key, P->kp.text.data + last->off, keylen);
	v = parse_value(P, tbl->depth + 1u);
	if (v && table_add(P, tbl, key, keylen, kpos, v) < 0) {
		value_free(v);
		v = NULL;
	}
	if (key != shortkey)
		free(key);
	return v ? 0 : -1;
}

/* [table] or [[array of tables]]: find or make it and make it the current table. */
static int parse_header(struct parser *P)
{
	const char *open = P->p;
	bool aot = peek(P, 1) == '[';
	struct toml_value *tbl = P->root, *v, *nt;
	struct entry *e;
	size_t i;

	pos_of(P, open);
	P->p += aot ? 2 : 1;
	skip_ws(P);
	if (parse_key(P) < 0)
		return -1;
	if (peek(P, 0) != ']' || (aot && peek(P, 1) != ']'))
		return fail(P, P->p, "expected '%s' after the table name, found %s",
			    aot ? "]]" : "]", found(P, P->p));
	P->p += aot ? 2 : 1;
	for (i = 0; i + 1 < P->kp.n; i++) {
		const struct keypart *kp = &P->kp.parts[i];

		e = table_find(tbl, P->kp.text.data + kp->off, kp->len);
		if (!e) {
			tbl = add_child(P, tbl, i, TOML_TABLE, TF_IMPLICIT);
			if (!tbl)
				return -1;
			continue;
		}
		v = e->val;
		if (v->type == TOML_TABLE && !(v->flags & TF_INLINE)) {
			tbl = v;
		} else if (v->type == TOML_ARRAY && (v->flags & TF_AOT)) {
			tbl = v->u.items[v->len - 1]; /* [a.b] goes into the last [[a]] */
		} else {
			return fail(P, kp->src, "key '%s' is already %s (defined at %u:%u), so it "
						"cannot hold a [table]",
				    path_text(P, i + 1), a_type(v), e->pos.line,
				    e->pos.col);
		}
	}
	e = table_find(tbl, P->kp.text.data + P->kp.parts[i].off, P->kp.parts[i].len);
	if (!aot) {
		if (!e) {
			tbl = add_child(P, tbl, i, TOML_TABLE, TF_DEFINED);
			if (!tbl)
				return -1;
			tbl->pos = pos_of(P, open);
		} else if (e->val->type == TOML_TABLE && e->val->flags == TF_IMPLICIT) {
			/* made on the way to a sub-table, and now defined */
			tbl = e->val;
			tbl->flags = TF_DEFINED;
			tbl->pos = pos_of(P, open);
		} else if (e->val->type == TOML_TABLE) {
			return fail(P, P->kp.parts[i].src,
				    "table '%s' is already defined (at %u:%u)", path_text(P, i + 1),
				    e->val->pos.line, e->val->pos.col);
		} else {
			return fail(P, P->kp.parts[i].src,
				    "key '%s' is already %s (defined at %u:%u)",
				    path_text(P, i + 1), a_type(e->val), e->pos.line, e->pos.col);
		}
	} else {
		struct toml_value *arr;

		if (!e) {
			arr = add_child(P, tbl, i, TOML_ARRAY, TF_AOT);
			if (!arr)
				return -1;
			arr->pos = pos_of(P, open);
		} else if (e->val->type == TOML_ARRAY && (e->val->flags & TF_AOT)) {
			arr = e->val;
		} else {
			path_text(P, i + 1);
			return fail(P, P->kp.parts[i].src,
				    "cannot append to '%s' with [[%s]]: it is "
				    "already %s (defined at %u:%u)",
				    P->pbuf, P->pbuf, a_type(e->val), e->pos.line, e->pos.col);
		}
		nt = value_new(P, TOML_TABLE, open, arr->depth + 1u);
		if (!nt)
			return -1;
		nt->flags = TF_DEFINED;
		if (array_push(P, arr, nt) < 0) {
			value_free(nt);
			return -1;
		}
		tbl = nt;
	}
	P->cur = tbl;
	path_text(P, P->kp.n);
	if (strlen(P->pbuf) < sizeof(P->curpath))
		memcpy(P->curpath, P->pbuf, strlen(P->pbuf) + 1);
	else
		snprintf(P->curpath, sizeof(P->curpath), "...");
	return expect_eol(P, "the table header");
}

static int parse_document(struct parser *P)
{
	while (P->p < P->end) {
		int c;

		skip_ws(P);
		c = peek(P, 0);
		if (c < 0)
			break;
		if (c == '#' || c == '\n' || c == '\r') {
			if (expect_eol(P, "a comment") < 0)
				return -1;
		} else if (c == '[') {
			if (parse_header(P) < 0)
				return -1;
		} else {
			if (parse_keyval(P, P->cur) < 0 || expect_eol(P, "the value") < 0)
				return -1;
		}
	}
	return 0;
}

struct toml_value *toml_parse(const char *buf, size_t len, struct toml_error *reterr)
{
	struct parser P = { 0 };
	int r;

	if (!buf) {
		buf = "";
		len = 0;
	}
	P.start = P.p = buf;
	P.end = buf + len;
	P.err = reterr;
	/* a UTF-8 byte order mark is not part of the document */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		P.start = P.p = buf + 3;
	P.pc_ptr = P.start;
	P.pc_line = P.pc_col = 1;
	if (getrandom(&P.seed, sizeof(P.seed), GRND_NONBLOCK) != sizeof(P.seed))
		P.seed = (uint32_t)(uintptr_t)&P ^ (uint32_t)clock(); /* ASLR and time: enough */
	if (len > TOML_MAX_SIZE) {
		fail(&P, P.start, "document too large (%zu bytes; the limit is %zu)", len,
		     TOML_MAX_SIZE);
		return NULL;
	}
	P.root = value_new(&P, TOML_TABLE, P.start, 0);
	if (!P.root)
		return NULL;
	P.root->flags = TF_DEFINED;
	P.cur = P.root;
	r = parse_document(&P);
	free(P.sb.data);
	free(P.kp.text.data);
	free(P.kp.parts);
	if (P.cloc)
		freelocale(P.cloc);
	if (r < 0) {
		value_free(P.root);
		return NULL;
	}
	return P.root;
}

/* --- access ------------------------------------------------------------------------ */

struct toml_value *toml_free(struct toml_value *root)
{
	value_free(root);
	return NULL;
}

enum toml_type toml_type(const struct toml_value *v)
{
	return v ? (enum toml_type)v->type : TOML_TYPE_COUNT;
}

const char *toml_type_name(enum toml_type type)
{
	static const char *const names[TOML_TYPE_COUNT] = {
		[TOML_TABLE] = "table",
		[TOML_ARRAY] = "array",
		[TOML_STRING] = "string",
		[TOML_INTEGER] = "integer",
		[TOML_FLOAT] = "float",
		[TOML_BOOL] = "boolean",
		[TOML_DATETIME] = "offset date-time",
		[TOML_DATETIME_LOCAL] = "local date-time",
		[TOML_DATE_LOCAL] = "local date",
		[TOML_TIME_LOCAL] = "local time",
	};

	return (unsigned)type < TOML_TYPE_COUNT ? names[type] : "none";
}

struct toml_pos toml_pos(const struct toml_value *v)
{
	return v ? v->pos : (struct toml_pos){ 0, 0 };
}

unsigned toml_line(const struct toml_value *v)
{
	return v ? v->pos.line : 0;
}

unsigned toml_col(const struct toml_value *v)
{
	return v ? v->pos.col : 0;
}

static const struct entry *entry_at(const struct toml_value *t, size_t i)
{
	if (!t || t->type != TOML_TABLE || i >= t->len)
		return NULL;
	return &t->u.tab->ents[i];
}

size_t toml_table_len(const struct toml_value *t)
{
	return t && t->type == TOML_TABLE ? t->len : 0;
}

const char *toml_table_key(const struct toml_value *t, size_t i)
{
	const struct entry *e = entry_at(t, i);

	return e ? entry_key(e) : NULL;
}

size_t toml_table_key_len(const struct toml_value *t, size_t i)
{
	const struct entry *e = entry_at(t, i);

	return e ? e->keylen : 0;
}

struct toml_pos toml_table_key_pos(const struct toml_value *t, size_t i)
{
	const struct entry *e = entry_at(t, i);

	return e ? e->pos : (struct toml_pos){ 0, 0 };
}

unsigned toml_table_key_line(const struct toml_value *t, size_t i)
{
	return toml_table_key_pos(t, i).line;
}

unsigned toml_table_key_col(const struct toml_value *t, size_t i)
{
	return toml_table_key_pos(t, i).col;
}

const struct toml_value *toml_table_value(const struct toml_value *t, size_t i)
{
	const struct entry *e = entry_at(t, i);

	return e ? e->val : NULL;
}

const struct toml_value *toml_table_getn(const struct toml_value *t, const char *key, size_t len)
{
	const struct entry *e;

	if (!t || t->type != TOML_TABLE || !key)
		return NULL;
	e = table_find(t, key, len);
	return e ? e->val : NULL;
}

const struct toml_value *toml_table_get(const struct toml_value *t, const char *key)
{
	return key ? toml_table_getn(t, key, strlen(key)) : NULL;
}

size_t toml_array_len(const struct toml_value *a)
{
	return a && a->type == TOML_ARRAY ? a->len : 0;
}

const struct toml_value *toml_array_at(const struct toml_value *a, size_t i)
{
	return a && a->type == TOML_ARRAY && i < a->len ? a->u.items[i] : NULL;
}

void toml_array_free_item(struct toml_value *a, size_t i)
{
	if (a && a->type == TOML_ARRAY && i < a->len) {
		value_free(a->u.items[i]);
		a->u.items[i] = NULL;
	}
}

bool toml_is_inline_table(const struct toml_value *t)
{
	return t && t->type == TOML_TABLE && (t->flags & TF_INLINE);
}

bool toml_is_table_array(const struct toml_value *a)
{
	return a && a->type == TOML_ARRAY && (a->flags & TF_AOT);
}

const char *toml_string(const struct toml_value *v)
{
	return v && v->type == TOML_STRING ? str_text(v) : NULL;
}

size_t toml_string_len(const struct toml_value *v)
{
	return v && v->type == TOML_STRING ? v->len : 0;
}

int64_t toml_integer(const struct toml_value *v)
{
	return v && v->type == TOML_INTEGER ? v->u.i : 0;
}

double toml_float(const struct toml_value *v)
{
	return v && v->type == TOML_FLOAT ? v->u.f : 0.0;
}

bool toml_bool(const struct toml_value *v)
{
	return v && v->type == TOML_BOOL ? v->u.b : false;
}

static bool is_datetime(const struct toml_value *v)
{
	return v && (v->type == TOML_DATETIME || v->type == TOML_DATETIME_LOCAL ||
		     v->type == TOML_DATE_LOCAL || v->type == TOML_TIME_LOCAL);
}

const struct toml_datetime *toml_datetime(const struct toml_value *v)
{
	return is_datetime(v) ? &v->u.dt->parts : NULL;
}

const char *toml_datetime_text(const struct toml_value *v)
{
	return is_datetime(v) ? v->u.dt->text : NULL;
}

bool toml_equal(const struct toml_value *a, const struct toml_value *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return false;
	switch ((enum toml_type)a->type) {
	case TOML_TABLE:
		if (a->len != b->len)
			return false;
		for (size_t i = 0; i < a->len; i++) {
			const struct entry *ea = &a->u.tab->ents[i];
			const struct entry *eb = table_find(b, entry_key(ea), ea->keylen);
			if (!eb || !toml_equal(ea->val, eb->val))
				return false;
		}
		return true;
	case TOML_ARRAY:
		if (a->len != b->len)
			return false;
		for (size_t i = 0; i < a->len; i++)
			if (!toml_equal(a->u.items[i], b->u.items[i]))
				return false;
		return true;
	case TOML_STRING:
		return a->len == b->len &&
		       memcmp(str_text(a), str_text(b), a->len) == 0;
	case TOML_INTEGER:
		return a->u.i == b->u.i;
	case TOML_FLOAT:
		if (isnan(a->u.f) || isnan(b->u.f))
			return isnan(a->u.f) && isnan(b->u.f);
		return a->u.f == b->u.f && !signbit(a->u.f) == !signbit(b->u.f);
	case TOML_BOOL:
		return a->u.b == b->u.b;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		/* the text holds every part, normalised */
		return strcmp(a->u.dt->text, b->u.dt->text) == 0;
	case TOML_TYPE_COUNT:
		break;
	}
	return false;
}
