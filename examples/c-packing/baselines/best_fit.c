/* Bin packing: best fit decreasing. */
#include <stdio.h>
#include <stdlib.h>

/* EVOLVE-BLOCK-START */
static const long *sizes;

static int larger_first(const void *a, const void *b) {
    long x = sizes[*(const int *) a], y = sizes[*(const int *) b];
    return x < y ? 1 : x > y ? -1 : *(const int *) a - *(const int *) b;
}

/* Items by decreasing size, each into the bin it fills best. */
static void pack(long capacity, int n, const long *size, int *bin) {
    int *order = malloc(sizeof(int) * (size_t) n);
    long *free_space = malloc(sizeof(long) * (size_t) n);
    int bins = 0;
    for (int i = 0; i < n; i++) {
        order[i] = i;
    }
    sizes = size;
    qsort(order, (size_t) n, sizeof(int), larger_first);
    for (int k = 0; k < n; k++) {
        int i = order[k], best = -1;
        for (int b = 0; b < bins; b++) {
            if (free_space[b] >= size[i] && (best < 0 || free_space[b] < free_space[best])) {
                best = b;
            }
        }
        if (best < 0) {
            best = bins;
            free_space[bins++] = capacity;
        }
        free_space[best] -= size[i];
        bin[i] = best;
    }
    free(order);
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
