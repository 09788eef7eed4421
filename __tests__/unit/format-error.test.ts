import { GraphQLError } from "graphql";
import { formatError } from "../../graphql/format-error";

const formatted = (message: string) => ({ message, path: ["contacts"] });
const resolverError = (original: Error) =>
  new GraphQLError(original.message, { path: ["contacts"], originalError: original });

describe("formatError", () => {
  it("tells an analyst that a query ran past the statement timeout, without the database's words", () => {
    const cancelled = Object.assign(new Error("canceling statement due to statement timeout"), {
      driverError: { code: "57014" },
    });
    const out = formatError(formatted(cancelled.message), resolverError(cancelled));
    expect(out.extensions).toEqual({ code: "BAD_USER_INPUT" });
    expect(out.message).toMatch(/statement timeout; narrow it/);
    expect(out.message).not.toMatch(/canceling/);
  });

  it("masks any other database error as an internal error", () => {
    const broken = Object.assign(new Error('relation "secret_table" does not exist'), { code: "42P01" });
    const out = formatError(formatted(broken.message), resolverError(broken));
    expect(out).toEqual({
      message: "Internal server error",
      path: ["contacts"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });
});
