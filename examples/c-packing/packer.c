/* Bin packing: reads CAPACITY N and N sizes on stdin, prints the bin of each item. */
#include <stdio.h>
#include <stdlib.h>

/* EVOLVE-BLOCK-START */
/* First fit: each item, in input order, into the first bin with room. */
static void pack(long capacity, int n, const long *size, int *bin) {
    long *free_space = malloc(sizeof(long) * (size_t) n);
    int bins = 0;
    for (int i = 0; i < n; i++) {
        int b = 0;
        while (b < bins && free_space[b] < size[i]) {
            b++;
        }
        if (b == bins) {
            free_space[bins++] = capacity;
        }
        free_space[b] -= size[i];
        bin[i] = b;
    }
    free(free_space);
}
/* EVOLVE-BLOCK-END */

int main(void) {
    long capacity;
    int n;
    if (scanf("%ld %d", &capacity, &n) != 2 || n <= 0) {
        return 1;
    }
    long *size = malloc(sizeof(long) * (size_t) n);
    int *bin = malloc(sizeof(int) * (size_t) n);
    for (int i = 0; i < n; i++) {
        if (scanf("%ld", &size[i]) != 1) {
            return 1;
        }
    }
    pack(capacity, n, size, bin);
    for (int i = 0; i < n; i++) {
        printf("%d\n", bin[i]);
    }
    return 0;
}
