import { describe, expect, it } from "vitest";
import { moved } from "./reorder";

describe("reordering", () => {
  it("moves an item to a new position, within bounds", () => {
    expect(moved(["a", "b", "c", "d"], 0, 2)).toEqual(["b", "c", "a", "d"]);
    expect(moved(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b"], 1, 9)).toEqual(["a", "b"]);
  });
});
