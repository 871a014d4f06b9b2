// Reads integers on standard input and prints them in an order: the more adjacent pairs in order, the better.
#include <iostream>
#include <vector>

// EVOLVE-BLOCK-START
static void arrange(std::vector<long> &numbers) {
    (void) numbers;
}
// EVOLVE-BLOCK-END

int main() {
    std::vector<long> numbers;
    long value;
    while (std::cin >> value) {
        numbers.push_back(value);
    }
    arrange(numbers);
    for (std::size_t i = 0; i < numbers.size(); i++) {
        std::cout << numbers[i] << (i + 1 == numbers.size() ? '\n' : ' ');
    }
    return 0;
}
