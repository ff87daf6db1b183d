/*
 * tests/host/test_mpconfig.c - unit tests for drivers/acpi.c and
 * drivers/mptable.c, the firmware-table parsers.
 *
 * Each test lays tables out in a pretend first megabyte of physical memory
 * (plus room above it), the way firmware does, and hands the parsers a
 * reader over that array that refuses anything outside it.  The tables
 * are built as the ACPI spec 6.4 (5.2.5-5.2.12) and the MP spec 1.4
 * (chapter 4) lay them out, checksums included.  The last tests corrupt
 * the tables at random, many times over: the parsers must never read
 * outside what the reader gives, and what they report must stay within
 * its bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/mpconfig.h"
#include "tests/host/test_rng.h"

#define MEM_BYTES 0x200000	/* 2 MiB of pretend physical memory */
#define RSDP_AT 0xe0010
#define RSDT_AT 0x100000
#define XSDT_AT 0x101000
#define MADT_AT 0x102000
#define MPFP_AT 0xf0000
#define MPCT_AT 0xf1000
#define EBDA_AT 0x9fc00
#define FUZZ_ROUNDS 20000

static uint8_t mem[MEM_BYTES];

static bool mem_read(paddr_t pa, void *dst, size_t n, void *arg)
{
	(void)arg;
	if (pa > MEM_BYTES || n > MEM_BYTES - pa)
		return false;
	memcpy(dst, mem + pa, n);
	return true;
}

static const struct phys_reader reader = { mem_read, NULL };

static void put8(uint32_t at, uint8_t v) { mem[at] = v; }
static void put16(uint32_t at, uint16_t v) { memcpy(mem + at, &v, 2); }
static void put32(uint32_t at, uint32_t v) { memcpy(mem + at, &v, 4); }
static void put64(uint32_t at, uint64_t v) { memcpy(mem + at, &v, 8); }
static void puts_(uint32_t at, const char *s)
{
	memcpy(mem + at, s, strlen(s));
}

/* Sets the byte at `sum` so that [at, at + n) adds up to 0. */
static void fix_checksum(uint32_t at, size_t n, uint32_t sum)
{
	uint8_t total = 0;

	mem[sum] = 0;
	for (size_t i = 0; i < n; i++)
		total += mem[at + i];
	mem[sum] = (uint8_t)-total;
}

/* ---------------------------------------------------------------- ACPI */

static uint32_t madt_len;

/* An SDT header at `at` for a table of len bytes. */
static void sdt_header(uint32_t at, const char *sig, uint32_t len)
{
	puts_(at, sig);
	put32(at + 4, len);
	put8(at + 8, 1);
	puts_(at + 10, "KIVA  ");
}

static void rsdp(uint32_t at, uint8_t revision)
{
	puts_(at, "RSD PTR ");
	puts_(at + 9, "KIVA  ");
	put8(at + 15, revision);
	put32(at + 16, RSDT_AT);
	if (revision >= 2) {
		put32(at + 20, 36);
		put64(at + 24, XSDT_AT);
	}
	fix_checksum(at, 20, at + 8);
	if (revision >= 2)
		fix_checksum(at, 36, at + 32);
}

static void rsdt(void)
{
	sdt_header(RSDT_AT, "RSDT", 36 + 8);
	put32(RSDT_AT + 36, 0x103000);	/* some other table, "FACP" */
	put32(RSDT_AT + 40, MADT_AT);
	sdt_header(0x103000, "FACP", 36);
	fix_checksum(0x103000, 36, 0x103000 + 9);
	fix_checksum(RSDT_AT, 44, RSDT_AT + 9);
}

/* Appends one MADT entry of len bytes; returns where it is. */
static uint32_t madt_entry(uint8_t type, uint8_t len)
{
	uint32_t at = MADT_AT + madt_len;

	put8(at, type);
	put8(at + 1, len);
	madt_len += len;
	return at;
}

static void madt_lapic(uint8_t id, uint32_t flags)
{
	uint32_t e = madt_entry(0, 8);

	put8(e + 2, id);	/* processor uid */
	put8(e + 3, id);
	put32(e + 4, flags);
}

static void madt_begin(void)
{
	madt_len = 44;
	put32(MADT_AT + 36, 0xfee00000);
	put32(MADT_AT + 40, 1);		/* PCAT_COMPAT */
}

static void madt_end(void)
{
	sdt_header(MADT_AT, "APIC", madt_len);
	fix_checksum(MADT_AT, madt_len, MADT_AT + 9);
}

/* A machine like QEMU's: CPUs 0 and 1, one disabled, an I/O APIC, two
 * overrides. */
static void acpi_machine(uint8_t revision)
{
	uint32_t e;

	memset(mem, 0, sizeof(mem));
	rsdp(RSDP_AT, revision);
	rsdt();
	madt_begin();
	madt_lapic(0, 1);
	madt_lapic(1, 1);
	madt_lapic(2, 0);		/* disabled */
	e = madt_entry(1, 12);		/* I/O APIC 0 */
	put8(e + 2, 0);
	put32(e + 4, 0xfec00000);
	put32(e + 8, 0);
	e = madt_entry(2, 10);		/* IRQ 0 -> GSI 2 */
	put8(e + 2, 0);
	put8(e + 3, 0);
	put32(e + 4, 2);
	put16(e + 8, 0);
	e = madt_entry(2, 10);		/* IRQ 9: level, active low */
	put8(e + 2, 0);
	put8(e + 3, 9);
	put32(e + 4, 9);
	put16(e + 8, 0xf);
	madt_end();
	if (revision >= 2) {
		sdt_header(XSDT_AT, "XSDT", 36 + 8);
		put64(XSDT_AT + 36, MADT_AT);
		fix_checksum(XSDT_AT, 44, XSDT_AT + 9);
	}
}

static void madt_of_a_qemu_like_machine(void **state)
{
	struct mp_config c;
	unsigned flags;

	(void)state;
	acpi_machine(0);
	assert_true(acpi_read_madt(&reader, &c));
	assert_string_equal(c.source, "ACPI MADT");
	assert_int_equal(c.lapic_phys, 0xfee00000);
	assert_int_equal(c.ncpus, 2);
	assert_int_equal(c.ncpus_seen, 2);
	assert_int_equal(c.apic_ids[0], 0);
	assert_int_equal(c.apic_ids[1], 1);
	assert_int_equal(c.nioapics, 1);
	assert_int_equal(c.ioapics[0].phys, 0xfec00000);
	assert_true(c.has_8259);
	assert_int_equal(mp_isa_gsi(&c, 0, &flags), 2);
	assert_int_equal(flags, 0);
	assert_int_equal(mp_isa_gsi(&c, 9, &flags), 9);
	assert_int_equal(flags, MP_POLARITY_LOW | MP_TRIGGER_LEVEL);
	assert_int_equal(mp_isa_gsi(&c, 4, &flags), 4);	/* identity */
}

/* Revision 2 goes through the XSDT; break the RSDT to be sure. */
static void madt_through_the_xsdt(void **state)
{
	struct mp_config c;

	(void)state;
	acpi_machine(2);
	put8(RSDT_AT + 9, mem[RSDT_AT + 9] + 1);	/* RSDT checksum off */
	assert_true(acpi_read_madt(&reader, &c));
	assert_int_equal(c.ncpus, 2);
}

/* The EBDA is searched first. */
static void rsdp_in_the_ebda(void **state)
{
	struct mp_config c;

	(void)state;
	acpi_machine(0);
	memset(mem + RSDP_AT, 0, 20);
	put16(0x40e, EBDA_AT >> 4);
	rsdp(EBDA_AT + 0x30, 0);
	assert_true(acpi_read_madt(&reader, &c));
	assert_int_equal(c.ncpus, 2);
}

static void broken_acpi_tables_are_not_believed(void **state)
{
	struct mp_config c;

	(void)state;
	acpi_machine(0);
	put8(RSDP_AT + 8, mem[RSDP_AT + 8] + 1);	/* RSDP checksum */
	assert_false(acpi_read_madt(&reader, &c));
	assert_int_equal(c.ncpus, 0);
	acpi_machine(0);
	put8(MADT_AT + 9, mem[MADT_AT + 9] + 1);	/* MADT checksum */
	assert_false(acpi_read_madt(&reader, &c));
	acpi_machine(0);
	put32(MADT_AT + 4, 0x7fffffff);			/* absurd length */
	assert_false(acpi_read_madt(&reader, &c));
	/* An entry of length 0 ends the walk: what came before stands. */
	acpi_machine(0);
	madt_begin();
	madt_lapic(0, 1);
	put8(MADT_AT + madt_len, 0);		/* type 0, length 0 */
	put8(MADT_AT + madt_len + 1, 0);
	madt_len += 2;
	madt_lapic(7, 1);
	madt_end();
	assert_true(acpi_read_madt(&reader, &c));
	assert_int_equal(c.ncpus, 1);
}

/* More CPUs than Kiva runs on: the first MP_MAX_CPUS, all counted. */
static void more_cpus_than_kiva_uses(void **state)
{
	struct mp_config c;

	(void)state;
	acpi_machine(0);
	madt_begin();
	for (int i = 0; i < MP_MAX_CPUS + 3; i++)
		madt_lapic((uint8_t)i, 1);
	madt_end();
	assert_true(acpi_read_madt(&reader, &c));
	assert_int_equal(c.ncpus, MP_MAX_CPUS);
	assert_int_equal(c.ncpus_seen, MP_MAX_CPUS + 3);
}

/* ------------------------------------------------------------ MP table */

static uint32_t mpct_len;
static uint16_t mpct_entries;

static uint32_t mp_entry(uint8_t type, uint32_t len)
{
	uint32_t at = MPCT_AT + mpct_len;

	put8(at, type);
	mpct_len += len;
	mpct_entries++;
	return at;
}

static void mp_cpu(uint8_t id, uint8_t flags)
{
	uint32_t e = mp_entry(0, 20);

	put8(e + 1, id);
	put8(e + 2, 0x14);
	put8(e + 3, flags);
}

static void mp_bus(uint8_t id, const char *type)
{
	uint32_t e = mp_entry(1, 8);

	put8(e + 1, id);
	puts_(e + 2, type);
}

static void mp_irq(uint8_t bus, uint8_t irq, uint8_t pin, uint16_t flags)
{
	uint32_t e = mp_entry(3, 8);

	put8(e + 1, 0);		/* INT */
	put16(e + 2, flags);
	put8(e + 4, bus);
	put8(e + 5, irq);
	put8(e + 6, 8);		/* I/O APIC id */
	put8(e + 7, pin);
}

static void mp_machine(uint8_t default_config)
{
	uint32_t e;

	memset(mem, 0, sizeof(mem));
	puts_(MPFP_AT, "_MP_");
	put32(MPFP_AT + 4, MPCT_AT);
	put8(MPFP_AT + 8, 1);
	put8(MPFP_AT + 9, 4);
	put8(MPFP_AT + 11, default_config);
	put8(MPFP_AT + 12, 0x80);	/* IMCR present */
	fix_checksum(MPFP_AT, 16, MPFP_AT + 10);

	mpct_len = 44;
	mpct_entries = 0;
	mp_cpu(1, 1);			/* an AP first */
	mp_cpu(0, 3);			/* the BSP */
	mp_cpu(5, 0);			/* disabled */
	mp_bus(0, "ISA   ");
	mp_bus(1, "PCI   ");
	e = mp_entry(2, 8);		/* I/O APIC 8 */
	put8(e + 1, 8);
	put8(e + 2, 0x11);
	put8(e + 3, 1);
	put32(e + 4, 0xfec00000);
	mp_irq(0, 0, 2, 0);		/* ISA IRQ 0 -> pin 2 */
	mp_irq(0, 9, 9, 0xf);		/* level, low */
	mp_irq(1, 3, 16, 0xf);		/* a PCI interrupt: no ISA override */
	puts_(MPCT_AT, "PCMP");
	put16(MPCT_AT + 4, (uint16_t)mpct_len);
	put8(MPCT_AT + 6, 4);
	put16(MPCT_AT + 34, mpct_entries);
	put32(MPCT_AT + 36, 0xfee00000);
	fix_checksum(MPCT_AT, mpct_len, MPCT_AT + 7);
}

static void mp_table_of_a_two_cpu_machine(void **state)
{
	struct mp_config c;
	unsigned flags;

	(void)state;
	mp_machine(0);
	assert_true(mptable_read(&reader, &c));
	assert_string_equal(c.source, "MP table");
	assert_int_equal(c.ncpus, 2);
	assert_int_equal(c.apic_ids[0], 0);	/* the BSP first */
	assert_int_equal(c.apic_ids[1], 1);
	assert_int_equal(c.nioapics, 1);
	assert_int_equal(c.ioapics[0].id, 8);
	assert_true(c.imcr_present);
	assert_int_equal(mp_isa_gsi(&c, 0, &flags), 2);
	assert_int_equal(mp_isa_gsi(&c, 9, &flags), 9);
	assert_int_equal(flags, MP_POLARITY_LOW | MP_TRIGGER_LEVEL);
	assert_int_equal(mp_isa_gsi(&c, 3, &flags), 3);	/* PCI's, not ISA's */
}

static void mp_default_configuration_is_not_read(void **state)
{
	struct mp_config c;

	(void)state;
	mp_machine(5);
	assert_false(mptable_read(&reader, &c));
	assert_int_equal(c.ncpus, 0);
}

static void broken_mp_tables_are_not_believed(void **state)
{
	struct mp_config c;

	(void)state;
	mp_machine(0);
	put8(MPCT_AT + 7, mem[MPCT_AT + 7] + 1);
	assert_false(mptable_read(&reader, &c));
	mp_machine(0);
	put8(MPCT_AT + 44, 9);		/* an unknown entry type */
	fix_checksum(MPCT_AT, mpct_len, MPCT_AT + 7);
	assert_false(mptable_read(&reader, &c));
}

/* Random bytes over the tables: no read outside memory, sane counts. */
static void corrupted_tables_stay_in_bounds(void **state)
{
	struct mp_config c;

	(void)state;
	rng_seed(0xacb1);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		bool acpi = round % 2 == 0;
		uint32_t base = acpi ? (rng_below(2) ? RSDT_AT : MADT_AT)
		                     : MPCT_AT;
		int flips = 1 + (int)rng_below(8);

		if (acpi)
			acpi_machine((uint8_t)(rng_below(2) * 2));
		else
			mp_machine(0);
		for (int i = 0; i < flips; i++)
			mem[base + rng_below(96)] = (uint8_t)rng_next();
		if (rng_below(2))	/* keep the checksum right, often */
			fix_checksum(base, acpi ? madt_len : mpct_len,
			             base + (acpi ? 9 : 7));
		if (acpi ? acpi_read_madt(&reader, &c)
		         : mptable_read(&reader, &c)) {
			assert_true(c.ncpus >= 1 && c.ncpus <= MP_MAX_CPUS);
			assert_true(c.ncpus <= c.ncpus_seen);
			assert_true(c.nioapics <= MP_MAX_IOAPICS);
			assert_true(c.noverrides <= MP_MAX_OVERRIDES);
		} else {
			assert_int_equal(c.ncpus, 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(madt_of_a_qemu_like_machine),
		cmocka_unit_test(madt_through_the_xsdt),
		cmocka_unit_test(rsdp_in_the_ebda),
		cmocka_unit_test(broken_acpi_tables_are_not_believed),
		cmocka_unit_test(more_cpus_than_kiva_uses),
		cmocka_unit_test(mp_table_of_a_two_cpu_machine),
		cmocka_unit_test(mp_default_configuration_is_not_read),
		cmocka_unit_test(broken_mp_tables_are_not_believed),
		cmocka_unit_test(corrupted_tables_stay_in_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
