import { startAppServer } from "./support/app-server";

describe("stopping the server", () => {
  it("lets background jobs and the database stop, then exits 0, on SIGTERM", async () => {
    const app = await startAppServer();
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    const end = await app.stop();
    expect({ ...end, output: end.exitCode === 0 ? "" : app.output() }).toEqual({
      exitCode: 0,
      killed: false,
      output: "",
    });
  });
});
