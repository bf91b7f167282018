import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown, plainText, safeHref } from "./markdown";

afterEach(cleanup);
const html = (text: string) => render(<Markdown text={text} />).container.firstElementChild!.innerHTML;

describe("Markdown", () => {
  it("renders paragraphs, line breaks, headings and lists", () => {
    expect(html("## Setup\nFeet hip-width.\nToes out.\n\n- brace\n- sit back\n\n1. down\n2. up")).toBe(
      "<h3>Setup</h3><p>Feet hip-width.<br>Toes out.</p><ul><li>brace</li><li>sit back</li></ul><ol><li>down</li><li>up</li></ol>",
    );
  });

  it("renders bold, italic, code and safe links", () => {
    expect(html("**Knees** out, *slowly*, hold `3 s`, see [the cue](https://example.com/cue)")).toBe(
      '<p><strong>Knees</strong> out, <em>slowly</em>, hold <code>3 s</code>, see <a href="https://example.com/cue" target="_blank" rel="noreferrer noopener">the cue</a></p>',
    );
  });

  it("never turns text into markup", () => {
    expect(html('<img src=x onerror="alert(1)"> [x](javascript:alert(1))')).toBe(
      "<p>&lt;img src=x onerror=\"alert(1)\"&gt; [x](javascript:alert(1))</p>",
    );
    expect(safeHref("//evil.example")).toBeNull();
    expect(safeHref("/exercises/1")).toBe("/exercises/1");
  });

  it("gives the plain words for previews", () => {
    expect(plainText("## Setup\n- **Knees** out\n- see [cue](https://x.y)")).toBe("Setup Knees out see cue");
  });
});
