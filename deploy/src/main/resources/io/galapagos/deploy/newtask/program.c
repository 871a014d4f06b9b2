/* Reads integers on standard input and prints them in an order: the more adjacent pairs in order, the better. */
#include <stdio.h>
#include <stdlib.h>

// EVOLVE-BLOCK-START
static void arrange(long *numbers, int n) {
    (void) numbers;
    (void) n;
}
// EVOLVE-BLOCK-END

int main(void) {
    int capacity = 16, n = 0;
    long *numbers = malloc(sizeof(long) * (size_t) capacity);
    long value;
    while (scanf("%ld", &value) == 1) {
        if (n == capacity) {
            capacity *= 2;
            numbers = realloc(numbers, sizeof(long) * (size_t) capacity);
        }
        numbers[n++] = value;
    }
    arrange(numbers, n);
    for (int i = 0; i < n; i++) {
        printf("%ld%c", numbers[i], i + 1 == n ? '\n' : ' ');
    }
    return 0;
}
