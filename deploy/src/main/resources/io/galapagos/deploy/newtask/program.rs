// Reads integers on standard input and prints them in an order: the more adjacent pairs in order, the better.
use std::io::Read;

// EVOLVE-BLOCK-START
fn arrange(numbers: Vec<i64>) -> Vec<i64> {
    numbers
}
// EVOLVE-BLOCK-END

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let numbers: Vec<i64> = input.split_whitespace().map(|t| t.parse().expect("an integer")).collect();
    let text: Vec<String> = arrange(numbers).iter().map(|n| n.to_string()).collect();
    println!("{}", text.join(" "));
}
