/* replay.c - run a fuzz target over stored inputs (the corpus and every crash
 * found), as a regression test under gcc's ASan/UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0;
		int c;
		while ((c = fgetc(fp)) != EOF) {
			if (len == cap) {
				cap = cap ? cap * 2 : 4096;
				buf = realloc(buf, cap);
				if (!buf)
					return 1;
			}
			buf[len++] = (uint8_t)c;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(buf ? buf : (uint8_t *)"", len);
		free(buf);
		n++;
	}
	printf("[       OK ] replayed %d inputs\n", n);
	return 0;
}
