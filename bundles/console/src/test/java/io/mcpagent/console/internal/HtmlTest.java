package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void markupQuotesAndTheConsolesVariableSyntaxAreEscaped() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &#96;t&#96; &#36;{appRoot}",
                Html.text("<script>alert('x')</script> & \"q\" `t` ${appRoot}"));
    }

    @Test
    void controlCharactersAreReplacedButLineBreaksAndTabsKept() {
        assertEquals("a\uFFFDb\tc\nd\r", Html.text("a\u0000b\tc\nd\r"));
    }

    @Test
    void nullRendersAsNothingAndOtherObjectsAsTheirText() {
        assertEquals("", Html.text(null));
        assertEquals("42", Html.text(42));
    }

    @Test
    void urlPartsAreEncodedThenEscaped() {
        assertEquals("a%20b%2Fc%3F%26%22", Html.url("a b/c?&\""));
    }
}
