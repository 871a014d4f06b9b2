"""Reads integers on standard input and prints them in an order: the more adjacent pairs in order, the better."""

import sys


# EVOLVE-BLOCK-START
def arrange(numbers):
    return list(numbers)
# EVOLVE-BLOCK-END


if __name__ == "__main__":
    print(" ".join(map(str, arrange([int(t) for t in sys.stdin.read().split()]))))
