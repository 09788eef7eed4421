import { CoreSchema1764806400000 } from "./1764806400000-core-schema";

/** Listed explicitly so that bundlers and the CLI see the same migrations. */
export const MIGRATIONS = [CoreSchema1764806400000];
