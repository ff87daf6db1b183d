/* spin [std]: loops forever, DF set if asked: for kill, ^C, scheduler tests */
#include "ulib.h"

int main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "std") == 0)
		__asm__ volatile("std\n1:\tjmp 1b");
	for (;;)
		continue;
}
