// Opens the database (and, without DATABASE_URL, starts the embedded one) when the server starts,
// so that the first request does not wait for migrations and demo data.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("./src/server/db/data-source");
    await getDatabase();
  }
}
