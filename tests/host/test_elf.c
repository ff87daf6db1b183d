/*
 * tests/host/test_elf.c - unit tests for kernel/proc/elf.c.
 *
 * The tests build a small valid executable in a struct image: an ELF
 * header, room for four program headers (two PT_LOAD in use: text R+X
 * and data R+W with .bss), then 16 bytes of text and 8 of data; 216 bytes
 * in all.  First it must pass with the right description.  Then one case
 * per rule changes one field (a few for "no PT_LOAD") and expects exactly
 * that rule's error and program header index; more cases cover overflow,
 * boundaries that must pass, and every truncation of the image.  Each
 * image is checked from a heap copy of exactly its size, so AddressSanitizer
 * catches a read even one byte past the end.
 *
 * Last, 200,000 random mutations of the image (a fixed seed, so every
 * run makes the same ones): elf_check() must never read outside the image,
 * and whatever it accepts must satisfy the invariants the loader relies on,
 * checked here from the raw bytes, independently of kernel/proc/elf.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/proc/elf.h"
#include "kernel/lib/types.h"
#include "tests/host/test_rng.h"

#define NPH 4	/* program header slots in struct image */
#define TEXT_OFF 0xc0u
#define TEXT_VA (0x400000u + TEXT_OFF)
#define TEXT_SIZE 16u
#define DATA_OFF 0xd0u
#define DATA_VA (0x401000u + DATA_OFF)
#define DATA_FILESZ 8u
#define DATA_MEMSZ 0x2000u
#define BRK 0x404000u	/* DATA_VA + DATA_MEMSZ, rounded up */

#define USER_MIN 0x00400000u
#define USER_MAX 0xbfc00000u	/* KERNBASE less 4 MiB of stack */

struct image {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[NPH];
	unsigned char
	    pad[TEXT_OFF - sizeof(Elf32_Ehdr) - NPH * sizeof(Elf32_Phdr)];
	unsigned char text[TEXT_SIZE];
	unsigned char data[DATA_FILESZ];
};
_Static_assert(offsetof(struct image, ph) == sizeof(Elf32_Ehdr), "ph");
_Static_assert(offsetof(struct image, text) == TEXT_OFF, "text");
_Static_assert(offsetof(struct image, data) == DATA_OFF, "data");
_Static_assert(sizeof(struct image) == DATA_OFF + DATA_FILESZ, "size");

#define IMG_SIZE sizeof(struct image)

static const struct elf_limits limits = { USER_MIN, USER_MAX };
static struct elf_info info;

/* The valid image every test starts from. */
static void make_image(struct image *im)
{
	static const unsigned char code[TEXT_SIZE] = {
		0xeb, 0xfe,	/* 1: jmp 1b */
		0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
		0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
	};

	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, "\177ELF", 4);
	im->eh.e_ident[EI_CLASS] = ELFCLASS32;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_386;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = TEXT_VA;
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_ehsize = sizeof(Elf32_Ehdr);
	im->eh.e_phentsize = sizeof(Elf32_Phdr);
	im->eh.e_phnum = 2;
	im->eh.e_shentsize = 40;	/* no section headers */

	im->ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD,
		                  .p_offset = TEXT_OFF,
		                  .p_vaddr = TEXT_VA,
		                  .p_paddr = TEXT_VA,
		                  .p_filesz = TEXT_SIZE,
		                  .p_memsz = TEXT_SIZE,
		                  .p_flags = PF_R | PF_X,
		                  .p_align = 0x1000 };
	im->ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD,
		                  .p_offset = DATA_OFF,
		                  .p_vaddr = DATA_VA,
		                  .p_paddr = DATA_VA,
		                  .p_filesz = DATA_FILESZ,
		                  .p_memsz = DATA_MEMSZ,
		                  .p_flags = PF_R | PF_W,
		                  .p_align = 0x1000 };
	memcpy(im->text, code, sizeof(code));
	memcpy(im->data, "kiva1234", DATA_FILESZ);
}

/*
 * elf_check() on a heap copy of bytes[0..size), exactly size bytes long,
 * at an address that is odd when misalign is set.  Fills info.
 */
static enum elf_error check_copy(const void *bytes, size_t size, bool misalign)
{
	unsigned char *buf, *copy;
	enum elf_error err;

	/* malloc(0) may return NULL: then there is nothing to read. */
	buf = malloc(size + misalign);
	assert_true(buf != NULL || size + misalign == 0);
	copy = buf != NULL ? buf + misalign : NULL;
	if (size > 0)
		memcpy(copy, bytes, size);
	err = elf_check(copy, size, &limits, &info);
	free(buf);
	return err;
}

static enum elf_error check(const struct image *im)
{
	return check_copy(im, IMG_SIZE, false);
}

/* err must be want, and for a failure *out zero but for bad_phdr. */
static void expect(enum elf_error err, enum elf_error want, int bad)
{
	static const struct elf_info zero;
	struct elf_info z = zero;

	if (err != want)
		fail_msg("got %d \"%s\", want %d \"%s\"", err,
		         elf_strerror(err), want, elf_strerror(want));
	assert_int_equal(info.bad_phdr, bad);
	if (err != ELF_OK) {
		z.bad_phdr = bad;
		assert_memory_equal(&info, &z, sizeof(z));
	}
}

static void assert_segment(const struct elf_segment *s, uint32_t vaddr,
                           uint32_t memsz, uint32_t offset, uint32_t filesz,
                           bool w, bool x)
{
	assert_int_equal(s->vaddr, vaddr);
	assert_int_equal(s->memsz, memsz);
	assert_int_equal(s->offset, offset);
	assert_int_equal(s->filesz, filesz);
	assert_int_equal(s->writable, w);
	assert_int_equal(s->executable, x);
}

/* ---------------------------------------------------------- valid images */

static void test_valid(void **state)
{
	struct image im;

	(void)state;
	make_image(&im);
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.entry, TEXT_VA);
	assert_int_equal(info.nseg, 2);
	assert_segment(&info.seg[0], TEXT_VA, TEXT_SIZE, TEXT_OFF, TEXT_SIZE,
	               false, true);
	assert_segment(&info.seg[1], DATA_VA, DATA_MEMSZ, DATA_OFF, DATA_FILESZ,
	               true, false);
	assert_int_equal(info.brk, BRK);

	/* The image itself need not be aligned. */
	expect(check_copy(&im, IMG_SIZE, true), ELF_OK, -1);
	assert_int_equal(info.brk, BRK);
	/* Nor end where the file does: trailing bytes are allowed. */
	{
		unsigned char big[IMG_SIZE + 100];

		memset(big, 0xa5, sizeof(big));
		memcpy(big, &im, IMG_SIZE);
		expect(check_copy(big, sizeof(big), false), ELF_OK, -1);
	}
}

/* What the gABI says to ignore, or what the loader does not use. */
static void test_ignored_fields(void **state)
{
	struct image im;
	size_t i;

	(void)state;
	make_image(&im);
	for (i = EI_ABIVERSION + 1; i < EI_NIDENT; i++)
		im.eh.e_ident[i] = 0xff;	/* EI_PAD */
	im.eh.e_shoff = 0xffffffff;		/* linking view */
	im.eh.e_shentsize = 0x1234;
	im.eh.e_shnum = 0xffff;
	im.eh.e_shstrndx = 0xfffe;
	im.ph[0].p_paddr = 0xdeadbeef;	/* unspecified */
	im.ph[1].p_paddr = 0;
	expect(check(&im), ELF_OK, -1);

	im.eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.nseg, 2);
}

/* Other program header types pass whatever their fields hold. */
static void test_other_phdr_types(void **state)
{
	static const uint32_t types[] = {
		PT_NULL,
		PT_NOTE,
		PT_PHDR,
		7 /* PT_TLS */,
		PT_GNU_STACK,
		0x6474e550 /* PT_GNU_EH_FRAME */,
		0x6474e552 /* RELRO */,
		0x70000000 /* PT_LOPROC */,
		0xffffffff,
	};
	struct image im;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		make_image(&im);
		im.eh.e_phnum = NPH;
		im.ph[2] = (Elf32_Phdr){ types[i],   0xffffffff, 0xffffffff,
			                 0xffffffff, 0xffffffff, 1,
			                 0xffffffff, 3 };
		/* ph[3] stays all zero: PT_NULL. */
		expect(check(&im), ELF_OK, -1);
		assert_int_equal(info.nseg, 2);
		assert_int_equal(info.brk, BRK);
	}
}

/* A PT_LOAD with p_memsz 0 maps nothing and is left out of the list. */
static void test_empty_load(void **state)
{
	struct image im;

	(void)state;
	make_image(&im);
	im.eh.e_phnum = 3;
	im.ph[2] = (Elf32_Phdr){ .p_type = PT_LOAD,
		                 .p_offset = TEXT_OFF,
		                 .p_vaddr = TEXT_VA,
		                 .p_flags = PF_R,
		                 .p_align = 0x1000 };
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.nseg, 2);

	/* ... but its fields are checked all the same. */
	im.ph[2].p_flags = 0x100;
	expect(check(&im), ELF_E_PH_FLAGS, 2);
	im.ph[2].p_flags = PF_R;
	im.ph[2].p_vaddr = USER_MAX + 0x1000;
	expect(check(&im), ELF_E_PH_USER, 2);
}

/* Values right at the limits pass. */
static void test_boundaries(void **state)
{
	struct image im;

	(void)state;
	/* Data runs to the very top of the user range. */
	make_image(&im);
	im.ph[1].p_memsz = USER_MAX - DATA_VA;
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.brk, USER_MAX);

	/* Text starts at the very bottom; entry at its first byte. */
	make_image(&im);
	im.ph[0].p_vaddr = USER_MIN;
	im.ph[0].p_offset = 0;
	im.ph[0].p_filesz = IMG_SIZE;
	im.ph[0].p_memsz = IMG_SIZE;
	im.eh.e_entry = USER_MIN;
	expect(check(&im), ELF_OK, -1);
	assert_segment(&info.seg[0], USER_MIN, IMG_SIZE, 0, IMG_SIZE, false,
	               true);

	/* Entry at the last byte of text; p_filesz == 0, a pure .bss. */
	make_image(&im);
	im.eh.e_entry = TEXT_VA + TEXT_SIZE - 1;
	im.ph[1].p_filesz = 0;
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.entry, TEXT_VA + TEXT_SIZE - 1);
	assert_int_equal(info.seg[1].filesz, 0);

	/* File bytes up to the last byte of the image. */
	make_image(&im);
	im.ph[0].p_filesz = IMG_SIZE - TEXT_OFF;
	im.ph[0].p_memsz = im.ph[0].p_filesz;
	expect(check(&im), ELF_OK, -1);

	/* Segments in adjacent pages share none. */
	make_image(&im);
	im.ph[0].p_memsz = 0x1000 - (TEXT_VA & PAGE_MASK);
	im.ph[1].p_vaddr = 0x400000 + 0x1000 + DATA_OFF;
	expect(check(&im), ELF_OK, -1);
	assert_int_equal(info.seg[0].vaddr + info.seg[0].memsz, 0x401000);

	/* p_align: 0, 1, small, large; segment W+X; flags 0. */
	make_image(&im);
	im.ph[0].p_align = 0;
	im.ph[1].p_align = 1;
	expect(check(&im), ELF_OK, -1);
	im.ph[0].p_align = 16;
	im.ph[1].p_align = 0x80000000;
	im.ph[1].p_vaddr = 0x80000000 + DATA_OFF;
	expect(check(&im), ELF_OK, -1);
	im.ph[0].p_flags = PF_R | PF_W | PF_X;
	im.ph[1].p_flags = 0;
	expect(check(&im), ELF_OK, -1);
	assert_true(info.seg[0].writable && info.seg[0].executable);
	assert_false(info.seg[1].writable || info.seg[1].executable);

	/* The entry may be in any executable segment, not only the first. */
	make_image(&im);
	im.ph[1].p_flags = PF_R | PF_X;
	im.eh.e_entry = DATA_VA + DATA_MEMSZ - 1;
	expect(check(&im), ELF_OK, -1);
}

/* As many program headers as allowed, all of them PT_LOAD. */
static void test_max_phdrs(void **state)
{
	unsigned char
	    buf[sizeof(Elf32_Ehdr) + (ELF_MAX_PHDRS + 1) * sizeof(Elf32_Phdr)];
	struct image im;
	Elf32_Phdr ph;
	size_t i;

	(void)state;
	make_image(&im);
	im.eh.e_phnum = ELF_MAX_PHDRS;
	memcpy(buf, &im.eh, sizeof(im.eh));
	for (i = 0; i <= ELF_MAX_PHDRS; i++) {
		ph = (Elf32_Phdr){ .p_type = PT_LOAD,
			           .p_offset = 0,
			           .p_vaddr = USER_MIN + i * 0x1000,
			           .p_filesz = 0,
			           .p_memsz = 0x10,
			           .p_flags = PF_R | PF_X,
			           .p_align = 0x1000 };
		memcpy(buf + sizeof(Elf32_Ehdr) + i * sizeof(ph), &ph,
		       sizeof(ph));
	}
	memcpy(buf + offsetof(Elf32_Ehdr, e_entry), &(Elf32_Addr){ USER_MIN },
	       sizeof(Elf32_Addr));
	expect(check_copy(buf, sizeof(buf), false), ELF_OK, -1);
	assert_int_equal(info.nseg, ELF_MAX_PHDRS);
	assert_int_equal(info.seg[ELF_MAX_PHDRS - 1].vaddr,
	                 USER_MIN + (ELF_MAX_PHDRS - 1) * 0x1000);
	assert_int_equal(info.brk, USER_MIN + ELF_MAX_PHDRS * 0x1000);

	memcpy(buf + offsetof(Elf32_Ehdr, e_phnum),
	       &(Elf32_Half){ ELF_MAX_PHDRS + 1 }, sizeof(Elf32_Half));
	expect(check_copy(buf, sizeof(buf), false), ELF_E_PHNUM, -1);
}

/* ------------------------------------------------------- one rule each */

/*
 * X(name, error, index of the bad program header, change): each change
 * breaks one rule of kernel/proc/elf.c, by changing one field where one can.
 */
#define RULES(X)                                                               \
	X(truncated_header, ELF_E_TRUNCATED, -1, (void)im)                     \
	X(magic0, ELF_E_MAGIC, -1, im->eh.e_ident[EI_MAG0] = 0x7e)             \
	X(magic3, ELF_E_MAGIC, -1, im->eh.e_ident[EI_MAG3] = 'f')              \
	X(class64, ELF_E_CLASS, -1, im->eh.e_ident[EI_CLASS] = 2)              \
	X(class_none, ELF_E_CLASS, -1, im->eh.e_ident[EI_CLASS] = 0)           \
	X(data_msb, ELF_E_DATA, -1, im->eh.e_ident[EI_DATA] = 2)               \
	X(ident_version, ELF_E_IDENT_VERSION, -1,                              \
	  im->eh.e_ident[EI_VERSION] = 0)                                      \
	X(osabi_freebsd, ELF_E_OSABI, -1, im->eh.e_ident[EI_OSABI] = 9)        \
	X(abiversion, ELF_E_ABIVERSION, -1, im->eh.e_ident[EI_ABIVERSION] = 1) \
	X(type_dyn, ELF_E_TYPE, -1, im->eh.e_type = 3)                         \
	X(type_rel, ELF_E_TYPE, -1, im->eh.e_type = 1)                         \
	X(machine_x86_64, ELF_E_MACHINE, -1, im->eh.e_machine = 62)            \
	X(version, ELF_E_VERSION, -1, im->eh.e_version = 2)                    \
	X(flags, ELF_E_FLAGS, -1, im->eh.e_flags = 1)                          \
	X(ehsize, ELF_E_EHSIZE, -1, im->eh.e_ehsize = 64)                      \
	X(phentsize, ELF_E_PHENTSIZE, -1, im->eh.e_phentsize = 56)             \
	X(phnum_zero, ELF_E_PHNUM, -1, im->eh.e_phnum = 0)                     \
	X(phnum_17, ELF_E_PHNUM, -1, im->eh.e_phnum = ELF_MAX_PHDRS + 1)       \
	X(phnum_xnum, ELF_E_PHNUM, -1, im->eh.e_phnum = 0xffff)                \
	X(phoff_zero, ELF_E_PHOFF, -1, im->eh.e_phoff = 0)                     \
	X(phoff_in_ehdr, ELF_E_PHOFF, -1, im->eh.e_phoff = 51)                 \
	X(phtab_past_end, ELF_E_PHTAB, -1,                                     \
	  im->eh.e_phoff = IMG_SIZE - 2 * sizeof(Elf32_Phdr) + 1)              \
	X(phtab_phnum, ELF_E_PHTAB, -1, im->eh.e_phnum = ELF_MAX_PHDRS)        \
	X(phtab_wraps, ELF_E_PHTAB, -1, im->eh.e_phoff = 0xffffffe0)           \
	X(interp, ELF_E_PH_INTERP, 0, im->ph[0].p_type = PT_INTERP)            \
	X(dynamic, ELF_E_PH_DYNAMIC, 1, im->ph[1].p_type = PT_DYNAMIC)         \
	X(shlib, ELF_E_PH_SHLIB, 1, im->ph[1].p_type = PT_SHLIB)               \
	X(p_flags_8, ELF_E_PH_FLAGS, 0, im->ph[0].p_flags |= 0x8)              \
	X(p_flags_maskproc, ELF_E_PH_FLAGS, 1,                                 \
	  im->ph[1].p_flags |= 0xf0000000)                                     \
	X(filesz, ELF_E_PH_FILESZ, 0, im->ph[0].p_filesz = TEXT_SIZE + 1)      \
	X(offset_past_end, ELF_E_PH_OFFSET, 1,                                 \
	  im->ph[1].p_filesz = DATA_FILESZ + 1)                                \
	X(offset_past_end2, ELF_E_PH_OFFSET, 0,                                \
	  im->ph[0].p_offset = IMG_SIZE - TEXT_SIZE + 1)                       \
	X(offset_near_4g, ELF_E_PH_OFFSET, 1,                                  \
	  im->ph[1].p_offset = 0xfffff000 + DATA_OFF)                          \
	X(offset_max, ELF_E_PH_OFFSET, 0, im->ph[0].p_offset = UINT32_MAX)     \
	X(vaddr_memsz_wraps, ELF_E_PH_WRAPS, 1,                                \
	  im->ph[1].p_memsz = 0u - DATA_VA + 0x10)                             \
	X(vaddr_near_4g, ELF_E_PH_WRAPS, 1,                                    \
	  im->ph[1].p_vaddr = 0xfffff000 + DATA_OFF)                           \
	X(memsz_max, ELF_E_PH_WRAPS, 0, im->ph[0].p_memsz = UINT32_MAX)        \
	X(above_user_max, ELF_E_PH_USER, 1,                                    \
	  im->ph[1].p_vaddr = USER_MAX - 0x1000 + DATA_OFF)                    \
	X(in_kernel, ELF_E_PH_USER, 1,                                         \
	  im->ph[1].p_vaddr = 0xc0000000 + DATA_OFF)                           \
	X(below_user_min, ELF_E_PH_USER, 0,                                    \
	  im->ph[0].p_vaddr = USER_MIN - 0x1000 + TEXT_OFF)                    \
	X(at_null, ELF_E_PH_USER, 0, im->ph[0].p_vaddr = TEXT_OFF)             \
	X(align_not_pow2, ELF_E_PH_ALIGN, 0, im->ph[0].p_align = 0x1800)       \
	X(align_max, ELF_E_PH_ALIGN, 1, im->ph[1].p_align = UINT32_MAX)        \
	X(page_offset_vaddr, ELF_E_PH_PAGE_OFFSET, 1,                          \
	  im->ph[1].p_vaddr = DATA_VA + 4)                                     \
	X(page_offset_offset, ELF_E_PH_PAGE_OFFSET, 0,                         \
	  im->ph[0].p_offset = TEXT_OFF - 4)                                   \
	X(align_offset, ELF_E_PH_ALIGN_OFFSET, 1, im->ph[1].p_align = 0x2000)  \
	X(overlap_page, ELF_E_PH_OVERLAP, 1,                                   \
	  im->ph[1].p_vaddr = 0x400000 + DATA_OFF)                             \
	X(overlap_bytes, ELF_E_PH_OVERLAP, 1, im->ph[0].p_memsz = 0x2000)      \
	X(order, ELF_E_PH_ORDER, 1, im->ph[0].p_vaddr = 0x405000 + TEXT_OFF)   \
	X(no_load, ELF_E_NO_LOAD, -1, im->ph[0].p_type = PT_NOTE;              \
	  im->ph[1].p_type = PT_NOTE)                                          \
	X(only_empty_load, ELF_E_NO_LOAD, -1, im->eh.e_phnum = 1;              \
	  im->ph[0].p_filesz = 0; im->ph[0].p_memsz = 0)                       \
	X(entry_in_data, ELF_E_ENTRY, -1, im->eh.e_entry = DATA_VA)            \
	X(entry_past_text, ELF_E_ENTRY, -1,                                    \
	  im->eh.e_entry = TEXT_VA + TEXT_SIZE)                                \
	X(entry_before_text, ELF_E_ENTRY, -1, im->eh.e_entry = TEXT_VA - 1)    \
	X(entry_zero, ELF_E_ENTRY, -1, im->eh.e_entry = 0)                     \
	X(text_not_executable, ELF_E_ENTRY, -1, im->ph[0].p_flags = PF_R)

struct rule {
	const char *name;
	void (*change)(struct image *);
	enum elf_error want;
	int bad;
};

#define DEFINE_CHANGE(name, err, bad, stmts)        \
	static void change_##name(struct image *im) \
	{                                           \
		stmts;                              \
	}
RULES(DEFINE_CHANGE)

#define RULE_ENTRY(name, err, bad, stmts) \
	{ "rule_" #name, change_##name, err, bad },
static const struct rule rules[] = { RULES(RULE_ENTRY) };

static void test_rule(void **state)
{
	const struct rule *r = *state;
	struct image im;
	size_t size = IMG_SIZE;

	make_image(&im);
	r->change(&im);
	if (r->want == ELF_E_TRUNCATED)
		size = sizeof(Elf32_Ehdr) - 1;
	expect(check_copy(&im, size, false), r->want, r->bad);
}

/* Every error has a rule above. */
static void test_rules_cover_errors(void **state)
{
	bool seen[ELF_E_COUNT] = { false };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		seen[rules[i].want] = true;
	for (i = 1; i < ELF_E_COUNT; i++) {
		if (!seen[i])
			fail_msg("no rule case for error %zu \"%s\"", i,
			         elf_strerror(i));
	}
}

/* ----------------------------------------------------------- truncation */

/* Every proper prefix of the image fails, with the error it must get. */
static void test_truncated(void **state)
{
	struct image im;
	enum elf_error want;
	size_t len, phend = sizeof(Elf32_Ehdr) + 2 * sizeof(Elf32_Phdr);
	int bad;

	(void)state;
	make_image(&im);
	for (len = 0; len < IMG_SIZE; len++) {
		if (len < sizeof(Elf32_Ehdr)) {
			want = ELF_E_TRUNCATED;
			bad = -1;
		} else if (len < phend) {
			want = ELF_E_PHTAB;
			bad = -1;
		} else {
			want = ELF_E_PH_OFFSET;
			bad = len < TEXT_OFF + TEXT_SIZE ? 0 : 1;
		}
		expect(check_copy(&im, len, false), want, bad);
	}
	expect(check_copy(&im, len, false), ELF_OK, -1);
}

/* ------------------------------------------------------------- messages */

static void test_strerror(void **state)
{
	const char *mi, *mj;
	size_t i, j;

	(void)state;
	assert_string_equal(elf_strerror(ELF_E_MACHINE),
	                    "e_machine is not EM_386 (Intel 80386)");
	for (i = 0; i < ELF_E_COUNT; i++) {
		mi = elf_strerror(i);
		assert_non_null(mi);
		assert_true(strlen(mi) > 10);
		assert_string_not_equal(mi, "unknown ELF error");
		/* Each names the field at fault. */
		if (i > ELF_E_TRUNCATED && strstr(mi, "e_") == NULL &&
		    strstr(mi, "p_") == NULL)
			fail_msg("message %zu \"%s\" names no field", i, mi);
		for (j = 0; j < i; j++) {
			mj = elf_strerror(j);
			if (strcmp(mi, mj) == 0)
				fail_msg("errors %zu and %zu share \"%s\"", j,
				         i, mi);
		}
	}
	assert_string_equal(elf_strerror(ELF_E_COUNT), "unknown ELF error");
	assert_string_equal(elf_strerror((enum elf_error) - 1),
	                    "unknown ELF error");
	assert_string_equal(elf_strerror(ELF_E_PHNUM),
	                    "e_phnum is 0 or more than 16");
}

/* Limits that break the rules of struct elf_limits are a kernel bug. */
static void test_bad_limits(void **state)
{
	static const struct elf_limits unaligned = { USER_MIN + 1, USER_MAX };
	static const struct elf_limits unaligned_max = { USER_MIN, 0xffffffff };
	static const struct elf_limits inverted = { USER_MAX, USER_MIN };
	struct image im;

	(void)state;
	make_image(&im);
	expect_assert_failure(elf_check(&im, IMG_SIZE, &unaligned, &info));
	expect_assert_failure(elf_check(&im, IMG_SIZE, &unaligned_max, &info));
	expect_assert_failure(elf_check(&im, IMG_SIZE, &inverted, &info));
	expect_assert_failure(elf_check(NULL, 1, &limits, &info));
}

/* --------------------------------------------------------------- random */

#define RANDOM_IMAGES 200000

/* Fields worth aiming at: each is some rule's edge. */
static const uint32_t interesting[] = {
	0,
	1,
	2,
	3,
	4,
	0x10,
	0x34,
	0x7f,
	0xff,
	0xfff,
	0x1000,
	0x1001,
	0xffff,
	0x10000,
	IMG_SIZE,
	IMG_SIZE - 1,
	IMG_SIZE + 1,
	TEXT_OFF,
	DATA_OFF,
	TEXT_VA,
	DATA_VA,
	USER_MIN,
	USER_MIN - 1,
	USER_MAX,
	USER_MAX - 1,
	USER_MAX - 0x1000 + DATA_OFF,
	0x7fffffff,
	0x80000000,
	0xc0000000,
	0xfffff000,
	0xfffff0d0,
	0xfffffff0,
	0xfffffffe,
	0xffffffff,
	PT_LOAD,
	PT_INTERP,
	PT_DYNAMIC,
	PT_GNU_STACK,
};

/* One random change, mostly to the headers, where the rules are. */
static void mutate(unsigned char *b)
{
	uint32_t v = interesting[rng_below(ARRAY_SIZE(interesting))];
	size_t hdrs = sizeof(Elf32_Ehdr) + NPH * sizeof(Elf32_Phdr);
	uint16_t h = (uint16_t)v;

	switch (rng_below(8)) {
	case 0:	/* any byte of the image */
		b[rng_below(IMG_SIZE)] = (unsigned char)rng_next();
		break;
	case 1:
	case 2:	/* a header byte */
		b[rng_below(hdrs)] = (unsigned char)rng_next();
		break;
	case 3:	/* one bit of a header */
		b[rng_below(hdrs)] ^= (unsigned char)(1u << rng_below(8));
		break;
	case 4:
	case 5:	/* a 32-bit field, edge value */
		if (rng_below(4) == 0)
			v += rng_below(3) - 1;
		memcpy(b + 4 * rng_below(hdrs / 4), &v, 4);
		break;
	case 6:	/* a 32-bit field, anything */
		v = rng_next();
		memcpy(b + 4 * rng_below(hdrs / 4), &v, 4);
		break;
	default:	/* a 16-bit field of the ELF header */
		if (rng_below(2) == 0)
			h = (uint16_t)rng_below(20);
		memcpy(b + 16 + 2 * rng_below((sizeof(Elf32_Ehdr) - 16) / 2),
		       &h, 2);
		break;
	}
}

/*
 * Does the accepted image b[0..size) satisfy, by its own raw bytes, every
 * promise of elf_check() with the description in info?  Returns NULL if
 * so, else what is broken.
 */
static const char *accepted_ok(const unsigned char *b, size_t size)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	const struct elf_segment *s, *t;
	uint64_t end, maxend = 0;
	size_t i, j, n = 0;
	bool entry_ok = false;

	if (size < sizeof(eh))
		return "accepted a truncated header";
	memcpy(&eh, b, sizeof(eh));
	if (memcmp(eh.e_ident, "\177ELF\1\1\1", 7) != 0 ||
	    eh.e_type != ET_EXEC || eh.e_machine != EM_386 ||
	    eh.e_version != 1 || eh.e_flags != 0 || eh.e_ehsize != sizeof(eh) ||
	    eh.e_phentsize != sizeof(ph))
		return "accepted a bad ELF header field";
	if (eh.e_phnum < 1 || eh.e_phnum > ELF_MAX_PHDRS ||
	    eh.e_phoff < sizeof(eh) ||
	    (uint64_t)eh.e_phoff + eh.e_phnum * sizeof(ph) > size)
		return "accepted a bad program header table";
	if (info.entry != eh.e_entry || info.bad_phdr != -1)
		return "entry or bad_phdr wrong";

	/* The list must be the non-empty PT_LOADs, in file order. */
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, b + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC ||
		    ph.p_type == PT_SHLIB)
			return "accepted a dynamic program";
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (n >= info.nseg)
			return "a PT_LOAD is missing from the list";
		s = &info.seg[n++];
		if (s->vaddr != ph.p_vaddr || s->memsz != ph.p_memsz ||
		    s->offset != ph.p_offset || s->filesz != ph.p_filesz ||
		    s->writable != !!(ph.p_flags & PF_W) ||
		    s->executable != !!(ph.p_flags & PF_X))
			return "a segment differs from its program header";
		if (ph.p_flags & ~(uint32_t)(PF_R | PF_W | PF_X))
			return "accepted unknown p_flags";
		if (ph.p_align & (ph.p_align - 1))
			return "accepted a bad p_align";
	}
	if (n != info.nseg || n == 0)
		return "the list has extra segments, or none";

	for (i = 0; i < info.nseg; i++) {
		s = &info.seg[i];
		end = (uint64_t)s->vaddr + s->memsz;
		if (s->memsz == 0 || s->filesz > s->memsz)
			return "bad sizes";
		if ((uint64_t)s->offset + s->filesz > size)
			return "file bytes outside the image";
		if (s->vaddr < USER_MIN || end > USER_MAX)
			return "segment outside the user range";
		if ((s->vaddr ^ s->offset) & PAGE_MASK)
			return "vaddr and offset not congruent";
		if (s->executable && eh.e_entry >= s->vaddr && eh.e_entry < end)
			entry_ok = true;
		maxend = MAX(maxend, end);
		for (j = 0; j < i; j++) {
			t = &info.seg[j];
			if (ROUND_UP((uint64_t)t->vaddr + t->memsz, PAGE_SIZE) >
			    ROUND_DOWN(s->vaddr, PAGE_SIZE))
				return "segments share a page or are unsorted";
		}
	}
	if (!entry_ok)
		return "entry not in an executable segment";
	if (info.brk != ROUND_UP(maxend, PAGE_SIZE))
		return "brk is not the page above the highest segment";
	return NULL;
}

static void test_random_mutations(void **state)
{
	struct image base, work;
	unsigned char *img = (unsigned char *)&work;
	unsigned long counts[ELF_E_COUNT] = { 0 };
	const char *why;
	enum elf_error err;
	size_t size, distinct = 0, i;
	uint32_t k, nmut;
	long iter;

	(void)state;
	rng_seed(0x5eed0e1f32ULL);	/* the same images every run */
	make_image(&base);
	for (iter = 0; iter < RANDOM_IMAGES; iter++) {
		work = base;
		if (rng_below(4) == 0) {
			/* Also exercise the ignored program headers. */
			work.eh.e_phnum = NPH;
			work.ph[2].p_type = PT_GNU_STACK;
		}
		nmut = 1 + rng_below(rng_below(4) == 0 ? 8 : 2);
		for (k = 0; k < nmut; k++)
			mutate(img);
		size = rng_below(16) == 0 ? rng_below(IMG_SIZE + 1) : IMG_SIZE;

		/* Exactly size bytes on the heap: ASan sees any overread. */
		err = check_copy(img, size, false);
		assert_true((unsigned)err < ELF_E_COUNT);
		counts[err]++;
		if (err == ELF_OK && (why = accepted_ok(img, size)) != NULL) {
			print_message("image %ld (%zu bytes):", iter, size);
			for (i = 0; i < size; i++)
				print_message("%s%02x", i % 16 ? " " : "\n  ",
				              img[i]);
			print_message("\n");
			fail_msg("elf_check() accepted it, but %s", why);
		}
	}
	for (i = 0; i < ELF_E_COUNT; i++)
		distinct += counts[i] != 0;
	print_message("# %lu of %d accepted, %zu distinct results\n",
	              counts[ELF_OK], RANDOM_IMAGES, distinct);
	/* A fuzzer that never gets past the first checks proves little. */
	assert_true(counts[ELF_OK] > RANDOM_IMAGES / 20);
	assert_true(distinct >= ELF_E_COUNT - 4);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_ignored_fields),
		cmocka_unit_test(test_other_phdr_types),
		cmocka_unit_test(test_empty_load),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_max_phdrs),
		cmocka_unit_test(test_rules_cover_errors),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_bad_limits),
		cmocka_unit_test(test_random_mutations),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(rules)];
	size_t i, n = 0;

	/* One case per rule, each under its own name. */
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		tests[n] =
		    (struct CMUnitTest){ .name = rules[i].name,
			                 .test_func = test_rule,
			                 .initial_state = (void *)&rules[i] };
		n++;
	}
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("test_elf", tests, n, NULL, NULL);
}
