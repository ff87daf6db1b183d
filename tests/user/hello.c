/*
 * tests/user/hello.c - the smallest Kiva user program.
 *
 * Prints its pid and its arguments on one line and exits with status 0:
 *
 *	hello from pid 3: hello one two
 *
 * It shows the whole path of a program: the kernel loads the ELF image,
 * builds argc and argv on the stack (lib/crt0.S), main() makes system
 * calls through lib/syscall.S, and main's return value becomes the exit
 * status that the parent's wait() collects.
 */
#include "ulib.h"

int main(int argc, char *argv[])
{
	int i;

	printf("hello from pid %d:", getpid());
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
