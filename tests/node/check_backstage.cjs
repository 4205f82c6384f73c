// Parse a Backstage tech-radar export with the plugin's own loader schema (zod).
// Usage: node check_backstage.cjs FILE.json  -> exit 0 and "ok: N entries", or the issues.
const fs = require("fs");
const { TechRadarLoaderResponseParser } = require("@backstage-community/plugin-tech-radar-common");

const data = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const result = TechRadarLoaderResponseParser.safeParse(data);
if (!result.success) {
  console.error(JSON.stringify(result.error.issues, null, 2));
  process.exit(1);
}
console.log(`ok: ${result.data.entries.length} entries`);
