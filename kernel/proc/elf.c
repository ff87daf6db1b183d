/*
 * kernel/proc/elf.c - validating an ELF32 i386 executable image.
 *
 * Design note
 *
 * The image comes from outside the kernel and may be truncated, corrupted
 * or hostile.  Every field the loader will act on is checked before it is
 * used, and every sum of two file fields is checked in a form that cannot
 * wrap: "a + b > limit" is written "a > limit || b > limit - a".  Headers
 * are copied out with memcpy() before being read, so the image needs no
 * alignment (a boot module or a test buffer may start anywhere).  The first
 * rule broken is reported as an enum elf_error whose message names the
 * field; the checks run in the order of that enum, so a file with one bad
 * field gets that field's error.
 *
 * The rules, with their sources (ELF 1.2 = TIS ELF Specification 1.2,
 * i386 psABI = System V ABI Intel386 Architecture Processor Supplement):
 *
 *  ELF header (ELF 1.2, Book I, "ELF Header", "ELF Identification"):
 *   - the image holds a whole Elf32_Ehdr;
 *   - magic \177ELF; ELFCLASS32 and ELFDATA2LSB, the only class and
 *     encoding of Intel386 files (Book II / i386 psABI, "Machine
 *     Information"); EI_VERSION and e_version EV_CURRENT;
 *   - EI_OSABI is ELFOSABI_NONE or ELFOSABI_GNU and EI_ABIVERSION is 0
 *     (gABI 4.1 names these two bytes; in ELF 1.2 they are padding and
 *     zero).  Any other OS ABI means a program for another kernel.
 *     GNU ld marks a file ELFOSABI_GNU when it uses GNU symbol types
 *     (static glibc does, for IFUNC), which changes nothing for a loader.
 *     The rest of e_ident is padding: "programs that read object files
 *     should ignore them" (Book I, EI_PAD), so it is ignored;
 *   - e_type ET_EXEC: Kiva has no dynamic loader and does not relocate,
 *     so position-independent ET_DYN files are refused too;
 *   - e_machine EM_386; e_flags 0, since the Intel386 architecture
 *     defines no flags (i386 psABI, "Machine Information");
 *   - e_ehsize and e_phentsize are the sizes of our structures: any
 *     other value means a format we do not know how to read;
 *   - 1 <= e_phnum <= ELF_MAX_PHDRS: an executable must have a program
 *     header table (Book I, "Introduction": "Files used to build a process
 *     image (execute a program) must have a program header table").  The
 *     extended numbering value PN_XNUM (0xffff) is above the limit too;
 *   - the program header table lies in the image, after the ELF header
 *     (e_phoff 0 means "no program header table", Book I, "ELF Header").
 *   - The section header fields (e_shoff, e_shentsize, e_shnum,
 *     e_shstrndx) are neither checked nor used: sections belong to the
 *     linking view, and "other object files may or may not have" a section
 *     header table (Book I, "Introduction"); strip tools may remove it.
 *
 *  Program headers (Book I, "Program Header"):
 *   - PT_INTERP and PT_DYNAMIC mean a dynamically linked program, which
 *     needs a dynamic linker Kiva does not have.  PT_SHLIB "programs that
 *     contain an array element of this type do not conform to the ABI".
 *     Every other type (PT_NULL, PT_NOTE, PT_PHDR, PT_TLS, PT_GNU_STACK,
 *     ...) does not affect what is mapped, and is ignored: its fields are
 *     neither checked nor used;
 *   - PT_LOAD: p_flags holds only PF_R, PF_W and PF_X (Book III,
 *     "Segment Permissions": nothing is defined for Intel386 in
 *     PF_MASKPROC, and an unknown bit might ask for something we do not
 *     do); p_filesz <= p_memsz ("The file size may not be larger than the
 *     memory size"); the file bytes [p_offset, p_offset + p_filesz) lie in
 *     the image; p_vaddr + p_memsz does not pass 2^32 and the segment lies
 *     in the caller's user range, so it can never touch the kernel;
 *   - p_align is 0, 1 (both "no alignment") or a power of two, and p_vaddr
 *     and p_offset are congruent modulo p_align ("p_vaddr should equal
 *     p_offset, modulo p_align") and modulo the page size, whatever
 *     p_align says: "loadable process segments must have congruent values
 *     for p_vaddr and p_offset, modulo the page size" (Book I, "Program
 *     Header"; i386 psABI, "Program Loading": 4 KiB).  Then file page n
 *     of a segment is virtual page n of it, so the loader can map or copy
 *     the segment a page at a time;
 *   - a PT_LOAD with p_memsz 0 maps nothing: checked like the others,
 *     then left out of the list (Linux and the BSDs skip them too);
 *   - no two PT_LOAD segments share a page, after rounding each out to
 *     whole pages, because a page has one set of permissions and one
 *     owner; and they come in ascending p_vaddr order ("Loadable segment
 *     entries in the program header table appear in ascending order,
 *     sorted on the p_vaddr member", Book I, "Program Header"), so the
 *     list handed to the loader is sorted;
 *   - at least one PT_LOAD ("A program to be loaded by the system must
 *     have at least one loadable segment", Book III, "Segment
 *     Permissions");
 *   - e_entry lies in a PT_LOAD segment with PF_X: jumping anywhere else
 *     would fault at once (or, without NX, run data).
 *
 * The answer, struct elf_info, repeats what was checked (in native types)
 * so the loader never goes back to the image headers: a boot module is
 * writable memory, and reading a header twice is how a checked value and
 * a used value come to differ.  The initial program break is the first
 * page boundary at or above the end of the highest segment.
 *
 * The byte order of the headers is the CPU's: Kiva and its host tests run
 * on little-endian x86 only, which the #error below makes sure of.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc/elf.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/types.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error \
    "kernel/proc/elf.c reads ELFDATA2LSB headers in place: little-endian only"
#endif

/* The field layouts of ELF 1.2, Book I, with no padding. */
_Static_assert(sizeof(Elf32_Ehdr) == 52, "Elf32_Ehdr is 52 bytes");
_Static_assert(sizeof(Elf32_Phdr) == 32, "Elf32_Phdr is 32 bytes");

#define PF_ALL (PF_R | PF_W | PF_X)

/* Makes ELF_MAX_PHDRS a string for the e_phnum message. */
#define STR(x) STR1(x)
#define STR1(x) #x

static const char *const messages[ELF_E_COUNT] = {
	[ELF_OK] = "valid ELF executable",
	[ELF_E_TRUNCATED] = "image is smaller than the ELF header (52 bytes)",
	[ELF_E_MAGIC] = "e_ident[EI_MAG0..EI_MAG3] is not \\177ELF: "
	                "not an ELF file",
	[ELF_E_CLASS] = "e_ident[EI_CLASS] is not ELFCLASS32 (32-bit)",
	[ELF_E_DATA] = "e_ident[EI_DATA] is not ELFDATA2LSB (little-endian)",
	[ELF_E_IDENT_VERSION] = "e_ident[EI_VERSION] is not EV_CURRENT (1)",
	[ELF_E_OSABI] = "e_ident[EI_OSABI] is not ELFOSABI_NONE (System V) "
	                "or ELFOSABI_GNU",
	[ELF_E_ABIVERSION] = "e_ident[EI_ABIVERSION] is not 0",
	[ELF_E_TYPE] = "e_type is not ET_EXEC (statically linked executable)",
	[ELF_E_MACHINE] = "e_machine is not EM_386 (Intel 80386)",
	[ELF_E_VERSION] = "e_version is not EV_CURRENT (1)",
	[ELF_E_FLAGS] = "e_flags is not 0 (Intel386 defines no flags)",
	[ELF_E_EHSIZE] = "e_ehsize is not 52 (sizeof(Elf32_Ehdr))",
	[ELF_E_PHENTSIZE] = "e_phentsize is not 32 (sizeof(Elf32_Phdr))",
	[ELF_E_PHNUM] = "e_phnum is 0 or more than " STR(ELF_MAX_PHDRS),
	[ELF_E_PHOFF] = "e_phoff is 0 or points into the ELF header",
	[ELF_E_PHTAB] = "e_phoff + e_phnum * e_phentsize is past the end of "
	                "the image",
	[ELF_E_PH_INTERP] = "p_type is PT_INTERP: dynamically linked "
	                    "programs are not supported",
	[ELF_E_PH_DYNAMIC] = "p_type is PT_DYNAMIC: dynamically linked "
	                     "programs are not supported",
	[ELF_E_PH_SHLIB] = "p_type is PT_SHLIB, which no conforming program "
	                   "contains",
	[ELF_E_PH_FLAGS] = "p_flags of a PT_LOAD has bits other than PF_R, "
	                   "PF_W, PF_X",
	[ELF_E_PH_FILESZ] = "p_filesz of a PT_LOAD is larger than its p_memsz",
	[ELF_E_PH_OFFSET] = "p_offset + p_filesz of a PT_LOAD is past the end "
	                    "of the image",
	[ELF_E_PH_WRAPS] = "p_vaddr + p_memsz of a PT_LOAD wraps past 4 GiB",
	[ELF_E_PH_USER] = "p_vaddr..p_vaddr + p_memsz of a PT_LOAD is outside "
	                  "the user address range",
	[ELF_E_PH_ALIGN] = "p_align of a PT_LOAD is not 0 or a power of two",
	[ELF_E_PH_PAGE_OFFSET] = "p_vaddr and p_offset of a PT_LOAD differ "
	                         "modulo the page size (4096)",
	[ELF_E_PH_ALIGN_OFFSET] = "p_vaddr and p_offset of a PT_LOAD differ "
	                          "modulo p_align",
	[ELF_E_PH_OVERLAP] = "p_vaddr..p_vaddr + p_memsz of two PT_LOAD "
	                     "segments share a page",
	[ELF_E_PH_ORDER] = "p_vaddr of the PT_LOAD segments is not in "
	                   "ascending order",
	[ELF_E_NO_LOAD] = "no PT_LOAD program header with p_memsz > 0",
	[ELF_E_ENTRY] = "e_entry is not inside an executable (PF_X) PT_LOAD "
	                "segment",
};

const char *elf_strerror(enum elf_error err)
{
	/* An enum may hold any value of its type: check, do not index. */
	if ((unsigned)err >= ELF_E_COUNT || messages[err] == NULL)
		return "unknown ELF error";
	return messages[err];
}

/* Is [off, off + len) inside an image of size bytes?  Cannot wrap. */
static bool in_image(size_t size, uint32_t off, uint32_t len)
{
	return off <= size && len <= size - off;
}

/* Do the page-rounded extents of segments a and b share a page? */
static bool share_page(const struct elf_segment *a, const struct elf_segment *b)
{
	/*
	 * Both lie below the page-aligned user_max, so rounding their ends
	 * up cannot wrap past 2^32.
	 */
	uint32_t a0 = ROUND_DOWN(a->vaddr, PAGE_SIZE);
	uint32_t a1 = ROUND_UP(a->vaddr + a->memsz, PAGE_SIZE);
	uint32_t b0 = ROUND_DOWN(b->vaddr, PAGE_SIZE);
	uint32_t b1 = ROUND_UP(b->vaddr + b->memsz, PAGE_SIZE);

	return a0 < b1 && b0 < a1;
}

/* The ELF header rules; returns ELF_OK or the first one broken. */
static enum elf_error check_ehdr(const Elf32_Ehdr *eh, size_t size)
{
	const unsigned char *id = eh->e_ident;

	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 ||
	    id[EI_MAG2] != ELFMAG2 || id[EI_MAG3] != ELFMAG3)
		return ELF_E_MAGIC;
	if (id[EI_CLASS] != ELFCLASS32)
		return ELF_E_CLASS;
	if (id[EI_DATA] != ELFDATA2LSB)
		return ELF_E_DATA;
	if (id[EI_VERSION] != EV_CURRENT)
		return ELF_E_IDENT_VERSION;
	if (id[EI_OSABI] != ELFOSABI_NONE && id[EI_OSABI] != ELFOSABI_GNU)
		return ELF_E_OSABI;
	if (id[EI_ABIVERSION] != 0)
		return ELF_E_ABIVERSION;
	if (eh->e_type != ET_EXEC)
		return ELF_E_TYPE;
	if (eh->e_machine != EM_386)
		return ELF_E_MACHINE;
	if (eh->e_version != EV_CURRENT)
		return ELF_E_VERSION;
	if (eh->e_flags != 0)
		return ELF_E_FLAGS;
	if (eh->e_ehsize != sizeof(Elf32_Ehdr))
		return ELF_E_EHSIZE;
	if (eh->e_phentsize != sizeof(Elf32_Phdr))
		return ELF_E_PHENTSIZE;
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHDRS)
		return ELF_E_PHNUM;
	if (eh->e_phoff < sizeof(Elf32_Ehdr))
		return ELF_E_PHOFF;
	/* At most 16 * 32 bytes: the product cannot wrap. */
	if (!in_image(size, eh->e_phoff,
	              (uint32_t)(eh->e_phnum * sizeof(Elf32_Phdr))))
		return ELF_E_PHTAB;
	return ELF_OK;
}

/*
 * The PT_LOAD rules for ph, against the segments in info so far; on
 * success a non-empty segment is appended to info.  Returns ELF_OK or the
 * first rule broken.
 */
static enum elf_error check_load(const Elf32_Phdr *ph, size_t size,
                                 const struct elf_limits *lim,
                                 struct elf_info *info)
{
	struct elf_segment s;
	uint32_t end;
	size_t i;

	if (ph->p_flags & ~(uint32_t)PF_ALL)
		return ELF_E_PH_FLAGS;
	if (ph->p_filesz > ph->p_memsz)
		return ELF_E_PH_FILESZ;
	if (!in_image(size, ph->p_offset, ph->p_filesz))
		return ELF_E_PH_OFFSET;
	if (ph->p_memsz > UINT32_MAX - ph->p_vaddr)
		return ELF_E_PH_WRAPS;
	end = ph->p_vaddr + ph->p_memsz;
	if (ph->p_vaddr < lim->user_min || end > lim->user_max)
		return ELF_E_PH_USER;
	/* 0 passes too: 0 and 1 both mean "no alignment". */
	if ((ph->p_align & (ph->p_align - 1)) != 0)
		return ELF_E_PH_ALIGN;
	if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
		return ELF_E_PH_PAGE_OFFSET;
	if (ph->p_align > 1 &&
	    ((ph->p_vaddr ^ ph->p_offset) & (ph->p_align - 1)) != 0)
		return ELF_E_PH_ALIGN_OFFSET;
	if (ph->p_memsz == 0)
		return ELF_OK;	/* maps nothing: left out */

	s.vaddr = ph->p_vaddr;
	s.memsz = ph->p_memsz;
	s.offset = ph->p_offset;
	s.filesz = ph->p_filesz;
	s.writable = (ph->p_flags & PF_W) != 0;
	s.executable = (ph->p_flags & PF_X) != 0;
	for (i = 0; i < info->nseg; i++) {
		if (share_page(&info->seg[i], &s))
			return ELF_E_PH_OVERLAP;
	}
	/* Apart from all the others, so "after the last" means sorted. */
	if (info->nseg > 0 && s.vaddr < info->seg[info->nseg - 1].vaddr)
		return ELF_E_PH_ORDER;

	/* e_phnum <= ELF_MAX_PHDRS, so there is always room. */
	KASSERT(info->nseg < ELF_MAX_PHDRS);
	info->seg[info->nseg++] = s;
	if (ROUND_UP(end, PAGE_SIZE) > info->brk)
		info->brk = ROUND_UP(end, PAGE_SIZE);
	return ELF_OK;
}

/*
 * Every rule, filling *info as it goes.  Returns ELF_OK or the first rule
 * broken, with *bad set to the index of the program header at fault.
 */
static enum elf_error check_image(const unsigned char *image, size_t size,
                                  const struct elf_limits *lim,
                                  struct elf_info *info, int *bad)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	enum elf_error err;
	size_t i;

	if (size < sizeof(eh))
		return ELF_E_TRUNCATED;
	memcpy(&eh, image, sizeof(eh));
	if ((err = check_ehdr(&eh, size)) != ELF_OK)
		return err;

	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, image + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_LOAD: err = check_load(&ph, size, lim, info); break;
		case PT_INTERP: err = ELF_E_PH_INTERP; break;
		case PT_DYNAMIC: err = ELF_E_PH_DYNAMIC; break;
		case PT_SHLIB: err = ELF_E_PH_SHLIB; break;
		default:
			err = ELF_OK;	/* nothing to map: ignored */
			break;
		}
		if (err != ELF_OK) {
			*bad = (int)i;
			return err;
		}
	}
	if (info->nseg == 0)
		return ELF_E_NO_LOAD;

	for (i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];

		/* entry - vaddr: no sum, so no wrap to worry about. */
		if (s->executable && eh.e_entry >= s->vaddr &&
		    eh.e_entry - s->vaddr < s->memsz)
			break;
	}
	if (i == info->nseg)
		return ELF_E_ENTRY;
	info->entry = eh.e_entry;
	return ELF_OK;
}

/*
 * Check the image at image[0..size) as a Kiva user program, with segments
 * confined to [lim->user_min, lim->user_max).  Returns ELF_OK with *out
 * describing the program, or the first rule broken (see the design note)
 * with *out all zero, so a caller that ignores the result loads nothing,
 * except out->bad_phdr: the index of the program header at fault, or -1
 * when the fault is not in one program header.
 */
enum elf_error elf_check(const void *image, size_t size,
                         const struct elf_limits *lim, struct elf_info *out)
{
	enum elf_error err;
	int bad = -1;

	KASSERT(out != NULL && lim != NULL);
	KASSERT(image != NULL || size == 0);
	/*
	 * Page-aligned limits make "in range" the same before and after
	 * rounding a segment out to pages, and keep the rounding from
	 * wrapping.
	 */
	KASSERT((lim->user_min & PAGE_MASK) == 0);
	KASSERT((lim->user_max & PAGE_MASK) == 0);
	KASSERT(lim->user_min < lim->user_max);

	memset(out, 0, sizeof(*out));
	err = check_image(image, size, lim, out, &bad);
	if (err != ELF_OK)
		memset(out, 0, sizeof(*out));
	out->bad_phdr = bad;
	return err;
}
