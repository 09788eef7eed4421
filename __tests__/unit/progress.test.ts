import { progress } from "../../src/server/logging/progress";

function printed(run: (bar: ReturnType<typeof progress>) => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk).trimEnd());
    return true;
  });
  try {
    run(progress("seeding", 100_000));
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe("progress", () => {
  it("prints once per tenth crossed, when steps never land on a tenth exactly", () => {
    const lines = printed((bar) => {
      for (let done = 1_000; done <= 100_000; done += 10_000) bar.tick(done);
    });
    expect(lines.map((l) => /\((\d+)%\)/.exec(l)?.[1])).toEqual([
      "1",
      "11",
      "21",
      "31",
      "41",
      "51",
      "61",
      "71",
      "81",
      "91",
    ]);
  });

  it("prints the end and each tenth once for small steps, and the total on done", () => {
    const lines = printed((bar) => {
      for (let done = 500; done <= 100_000; done += 500) bar.tick(done);
      bar.done("(all)");
    });
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^seeding: 500\/100,000 \(0%\) \d+\.\ds$/);
    expect(lines[10]).toMatch(/^seeding: 100,000\/100,000 \(100%\)/);
    expect(lines[11]).toMatch(/^seeding: done in \d+\.\ds \(all\)$/);
  });
});
