import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

/** Reads integers on standard input and prints them in an order: the more adjacent pairs in order, the better. */
public class Main {

    // EVOLVE-BLOCK-START
    static List<Long> arrange(List<Long> numbers) {
        return new ArrayList<>(numbers);
    }
    // EVOLVE-BLOCK-END

    public static void main(String[] args) {
        List<Long> numbers = new ArrayList<>();
        try (Scanner in = new Scanner(System.in)) {
            while (in.hasNextLong()) {
                numbers.add(in.nextLong());
            }
        }
        StringBuilder out = new StringBuilder();
        for (long n : arrange(numbers)) {
            out.append(out.length() == 0 ? "" : " ").append(n);
        }
        System.out.println(out);
    }
}
