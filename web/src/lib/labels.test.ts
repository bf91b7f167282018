import { describe, expect, it } from "vitest";
import { categoryLabel, difficultyLabel, plural } from "./labels";

describe("labels", () => {
  it("says categories and difficulties in words", () => {
    expect(categoryLabel("martial_arts")).toBe("Martial arts");
    expect(categoryLabel("strength")).toBe("Strength");
    expect(categoryLabel("new_thing")).toBe("New thing");
    expect(difficultyLabel("beginner")).toBe("Beginner");
  });
  it("counts in the singular for one", () => {
    expect(plural(1, "set")).toBe("1 set");
    expect(plural(3, "set")).toBe("3 sets");
    expect(plural(0, "exercise")).toBe("0 exercises");
  });
});
