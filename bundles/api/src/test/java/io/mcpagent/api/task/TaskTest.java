package io.mcpagent.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void controlCharactersAndUnpairedSurrogatesAreNamedWithTheirPlace() {
        assertEquals(Optional.of("the control character U+0001 at 3"), Task.unreadable("hel\u0001lo"));
        assertEquals(Optional.of("the control character U+007F at 0"), Task.unreadable("\u007f"));
        assertEquals(Optional.of("an unpaired surrogate U+D800 at 6"), Task.unreadable("hello \ud800"));
        assertEquals(Optional.of("an unpaired surrogate U+DE00 at 1"), Task.unreadable("a\ude00b"));
    }

    @Test
    void tabsLineBreaksAndEveryPlaneAreText() {
        assertEquals(Optional.empty(), Task.unreadable("tabs\tand\nlines\r\n\u0085, caf\u00e9 \ud83d\ude00"));
        assertEquals(Optional.empty(), Task.unreadable(""));
    }

    @Test
    void aTaskLongerThanTheLimitIsNamedWithItsLength() {
        assertEquals(Optional.of("the task is 100001 characters long; at most 100000 are taken"),
                Task.tooLong("x".repeat(Task.MAX_CHARS + 1)));
        assertEquals(Optional.empty(), Task.tooLong("x".repeat(Task.MAX_CHARS)));
    }

    /** Characters as JSON Schema's maxLength counts them: an emoji (two UTF-16 units) is one; it counted two. */
    @Test
    void aCharacterOutsideTheBasicPlaneCountsOnce() {
        String emoji = "\ud83d\ude00";
        assertEquals(Optional.empty(), Task.tooLong(emoji.repeat(Task.MAX_CHARS)));
        assertEquals(Optional.of("the task is 100001 characters long; at most 100000 are taken"),
                Task.tooLong(emoji.repeat(Task.MAX_CHARS) + "x"));
    }
}
