package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceMemoTest {

    @Test
    void computesAProgramOnceWhileItIsAmongTheRecentOnesAndPerLanguage() {
        List<String> computed = new ArrayList<>();
        SourceMemo<Integer> memo = new SourceMemo<>(2, (code, language) -> {
            computed.add(language.name() + ":" + code);
            return code.length();
        });

        assertThat(memo.get("a = 1", SourceLanguage.PYTHON)).isEqualTo(5);
        assertThat(memo.get(new String("a = 1"), SourceLanguage.PYTHON)).isEqualTo(5); // equal text, other instance
        assertThat(memo.get("a = 1", SourceLanguage.JAVA)).isEqualTo(5);

        assertThat(computed).containsExactly("python:a = 1", "java:a = 1");
    }

    @Test
    void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
        List<String> computed = new ArrayList<>();
        SourceMemo<Integer> memo = new SourceMemo<>(2, (code, language) -> {
            computed.add(code);
            return code.length();
        });
        memo.get("one", SourceLanguage.JAVA);
        memo.get("two", SourceLanguage.JAVA);
        memo.get("one", SourceLanguage.JAVA); // "two" is now the least recently used
        memo.get("three", SourceLanguage.JAVA);
        memo.get("one", SourceLanguage.JAVA);
        memo.get("two", SourceLanguage.JAVA);

        assertThat(memo.size()).isEqualTo(2);
        assertThat(computed).containsExactly("one", "two", "three", "two");
    }
}
