/*
 * kernel/proc/elf.h - checking an ELF32 i386 executable before loading it.
 *
 * User programs reach the kernel as in-memory images (boot modules): files
 * in the Executable and Linking Format, "Tool Interface Standard (TIS)
 * Executable and Linking Format (ELF) Specification, Version 1.2" (below:
 * ELF 1.2), Book I, with the Intel386 rules of Book II and of the "System V
 * Application Binary Interface, Intel386 Architecture Processor Supplement",
 * 4th edition (below: i386 psABI).  Kiva runs statically linked executables
 * only: ET_EXEC, EM_386, no interpreter, no dynamic section.
 *
 * elf_check() validates every field the loader will use, without trusting
 * any of them first, and describes the loadable segments in a struct
 * elf_info; only that description is to be used afterwards.  See
 * kernel/proc/elf.c for the rules and where they come from.  It is pure logic
 * (no allocation, no paging), so the host unit tests run it as it is.
 */
#ifndef KIVA_KERNEL_PROC_ELF_H
#define KIVA_KERNEL_PROC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- format */

/* ELF 1.2, Book I, "Data Representation": the 32-bit data types. */
typedef uint32_t Elf32_Addr;
typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Off;
typedef int32_t Elf32_Sword;
typedef uint32_t Elf32_Word;

/* ELF 1.2, Book I, "ELF Identification": the e_ident[] indexes. */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
/* Named by the later System V gABI (4.1); padding in ELF 1.2. */
#define EI_OSABI	7
#define EI_ABIVERSION	8
#define EI_NIDENT	16

#define ELFMAG0		0x7f
#define ELFMAG1		'E'
#define ELFMAG2		'L'
#define ELFMAG3		'F'
#define ELFCLASS32	1
#define ELFDATA2LSB	1	/* two's complement, little-endian */
#define EV_CURRENT	1
#define ELFOSABI_NONE	0	/* System V: no extensions */
#define ELFOSABI_GNU	3	/* GNU extensions (set by GNU ld for IFUNC) */

/* e_type and e_machine values (ELF 1.2, Book I, "ELF Header"). */
#define ET_EXEC		2
#define EM_386		3

/* ELF 1.2, Book I, "ELF Header". */
typedef struct {
	unsigned char	e_ident[EI_NIDENT];
	Elf32_Half	e_type;
	Elf32_Half	e_machine;
	Elf32_Word	e_version;
	Elf32_Addr	e_entry;
	Elf32_Off	e_phoff;
	Elf32_Off	e_shoff;
	Elf32_Word	e_flags;
	Elf32_Half	e_ehsize;
	Elf32_Half	e_phentsize;
	Elf32_Half	e_phnum;
	Elf32_Half	e_shentsize;
	Elf32_Half	e_shnum;
	Elf32_Half	e_shstrndx;
} Elf32_Ehdr;

/* ELF 1.2, Book I, "Program Header". */
typedef struct {
	Elf32_Word	p_type;
	Elf32_Off	p_offset;
	Elf32_Addr	p_vaddr;
	Elf32_Addr	p_paddr;
	Elf32_Word	p_filesz;
	Elf32_Word	p_memsz;
	Elf32_Word	p_flags;
	Elf32_Word	p_align;
} Elf32_Phdr;

/* ELF 1.2, Book I, "Program Header": segment types, p_type. */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_GNU_STACK	0x6474e551	/* GNU: stack permissions */

/* ELF 1.2, Book III, "Segment Permissions": p_flags bits. */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

/* --------------------------------------------------------------- checking */

/*
 * At most this many program headers are looked at: a static program has
 * about 5 to 10 (text, rodata, data, note, TLS, GNU_STACK, ...), and the
 * bound keeps struct elf_info a fixed size with no allocation.
 */
#define ELF_MAX_PHDRS	16

/*
 * Where user segments may lie: [user_min, user_max), both page-aligned,
 * user_min < user_max.  The caller leaves out the kernel (KERNBASE and
 * up), the unmapped pages at 0 that catch NULL pointers, and the room it
 * keeps for the user stack.
 */
struct elf_limits {
	Elf32_Addr	user_min;
	Elf32_Addr	user_max;	/* exclusive */
};

/*
 * One PT_LOAD segment, checked: [vaddr, vaddr + memsz) lies in the user
 * range; file bytes [offset, offset + filesz) lie in the image and go to
 * vaddr; the memsz - filesz bytes after them are zero (ELF 1.2, Book I,
 * "Program Header", PT_LOAD).  vaddr and offset are congruent modulo
 * PAGE_SIZE, memsz > 0, and no two segments share a page.
 */
struct elf_segment {
	Elf32_Addr	vaddr;
	Elf32_Word	memsz;
	Elf32_Off	offset;
	Elf32_Word	filesz;		/* <= memsz */
	bool		writable;	/* PF_W */
	bool		executable;	/* PF_X */
};

/* What elf_check() found: everything the loader needs. */
struct elf_info {
	Elf32_Addr		entry;	/* inside an executable segment */
	size_t			nseg;	/* 1..ELF_MAX_PHDRS */
	struct elf_segment	seg[ELF_MAX_PHDRS];	/* ascending vaddr */
	Elf32_Addr		brk;	/* page above the highest segment end */
	int			bad_phdr; /* on failure: index, or -1 */
};

/*
 * Why an image was refused; elf_strerror() names the field.  The order is
 * the order of the checks.
 */
enum elf_error {
	ELF_OK = 0,
	ELF_E_TRUNCATED,	/* smaller than an ELF header */
	ELF_E_MAGIC,		/* e_ident[EI_MAG0..EI_MAG3] */
	ELF_E_CLASS,		/* e_ident[EI_CLASS] */
	ELF_E_DATA,		/* e_ident[EI_DATA] */
	ELF_E_IDENT_VERSION,	/* e_ident[EI_VERSION] */
	ELF_E_OSABI,		/* e_ident[EI_OSABI] */
	ELF_E_ABIVERSION,	/* e_ident[EI_ABIVERSION] */
	ELF_E_TYPE,		/* e_type */
	ELF_E_MACHINE,		/* e_machine */
	ELF_E_VERSION,		/* e_version */
	ELF_E_FLAGS,		/* e_flags */
	ELF_E_EHSIZE,		/* e_ehsize */
	ELF_E_PHENTSIZE,	/* e_phentsize */
	ELF_E_PHNUM,		/* e_phnum */
	ELF_E_PHOFF,		/* e_phoff inside the ELF header */
	ELF_E_PHTAB,		/* program header table past the image */
	ELF_E_PH_INTERP,	/* p_type PT_INTERP */
	ELF_E_PH_DYNAMIC,	/* p_type PT_DYNAMIC */
	ELF_E_PH_SHLIB,		/* p_type PT_SHLIB */
	ELF_E_PH_FLAGS,		/* p_flags */
	ELF_E_PH_FILESZ,	/* p_filesz > p_memsz */
	ELF_E_PH_OFFSET,	/* p_offset + p_filesz past the image */
	ELF_E_PH_WRAPS,		/* p_vaddr + p_memsz past 2^32 */
	ELF_E_PH_USER,		/* segment outside the user range */
	ELF_E_PH_ALIGN,		/* p_align not 0 or a power of two */
	ELF_E_PH_PAGE_OFFSET,	/* p_vaddr, p_offset differ mod PAGE_SIZE */
	ELF_E_PH_ALIGN_OFFSET,	/* p_vaddr, p_offset differ mod p_align */
	ELF_E_PH_OVERLAP,	/* two PT_LOAD segments share a page */
	ELF_E_PH_ORDER,		/* PT_LOAD not in ascending p_vaddr order */
	ELF_E_NO_LOAD,		/* no non-empty PT_LOAD */
	ELF_E_ENTRY,		/* e_entry not in an executable segment */
	ELF_E_COUNT		/* number of values, not an error */
};

/*
 * Check the ELF image at image[0..size) against the rules of kernel/proc/elf.c
 * and the user range *lim.  Returns ELF_OK and fills *out, or returns the
 * first rule broken, with *out zeroed but for out->bad_phdr: the index of
 * the program header at fault, or -1 if the fault is elsewhere (ELF
 * header, no PT_LOAD, e_entry).  Never reads outside image[0..size); the
 * image needs no particular alignment.
 */
enum elf_error	elf_check(const void *image, size_t size,
		    const struct elf_limits *lim, struct elf_info *out);

/*
 * A one-line message for err naming the field at fault, e.g. "e_machine is
 * not EM_386 (Intel 80386)".  Never NULL, even for a value out of range.
 */
const char	*elf_strerror(enum elf_error err);

#endif /* KIVA_KERNEL_PROC_ELF_H */
