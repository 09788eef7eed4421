import { summarize } from "../../src/server/assignments/timeline.service";

describe("timeline summaries", () => {
  it.each([
    ["assignment.support_requested", {}, "Another department asked to help"],
    ["contact.linked_duplicate", {}, "Linked as a duplicate of an earlier report"],
    ["contact.submitted", { channel: "OPEN311" }, "Submitted (open311) and routed to a department"],
    ["response.sent", { isFinal: true, channel: "EMAIL" }, "Final response sent by email"],
  ])("says what %s did in words", (action, after, summary) => {
    expect(summarize(action, after)).toBe(summary);
  });

  it("falls back to the action's own words for an action it does not know", () => {
    expect(summarize("contact.something_new", null)).toBe("Contact something new");
  });
});
