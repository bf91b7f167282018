import { describe, expect, it } from "vitest";
import { addressesIn } from "./EmailInvites";

describe("addressesIn", () => {
  it("splits pasted text on commas, semicolons and new lines, once each", () => {
    expect(addressesIn("a@x.com, b@x.com;c@x.com\n a@x.com\n\nnot-an-address")).toEqual(["a@x.com", "b@x.com", "c@x.com"]);
  });
});
