// What the mobile app does offline, against a live server: sync into a local
// store (one JSON file per object), render a guide from the stored rich-text
// trees, and check that the store equals the API read afresh.
//   node app.js first <store dir>    a first sync into an empty store, then render a guide
//   node app.js again <store dir>    sync from the stored token, then compare with the API
// .ci/clients.sh runs both, with an edit and an unpublish made on the server between them.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import type { SyncFreshQuery, SyncQuery, SyncQueryVariables } from "../gql/graphql";
import { plainText } from "../rich-text";
import type { RichTextDocument } from "../rich-text-types";

type Change = NonNullable<SyncQuery["changes"]>;
type Item = Change["updated"][number];
type Kind = Item["kind"];
type Stored = Record<string, unknown>;
/** The local copy: objects by "KIND:id", and where to sync on from. */
type Store = { objects: Map<string, Stored>; token: string | null };

const GRAPHQL_URL = process.env.GRAPHQL_URL ?? "http://127.0.0.1:8000/graphql/";
// The documents live beside src/ (documents/Sync.graphql); tsc's output keeps that layout.
const DOCUMENTS = process.env.SYNC_DOCUMENTS ?? "documents/Sync.graphql";

async function post<T>(operationName: string, variables: object = {}): Promise<T> {
  const query = await readFile(DOCUMENTS, "utf8");
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`${operationName}: HTTP ${response.status} ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

/** The object an item carries, from the field its kind names. */
function objectOf(item: Item): Stored {
  const fields: Record<Kind, Stored | null | undefined> = {
    GUIDE: item.guide,
    HUB: item.hub,
    FAQ: item.faq,
    GUIDE_CATEGORY: item.guideCategory,
    CANCER_TYPE: item.cancerType,
    AUDIENCE: item.audience,
    SITE_SETTINGS: item.siteSettings,
  };
  const object = fields[item.kind];
  if (!object) throw new Error(`${item.kind} ${item.id} arrived without its object`);
  return object;
}

const key = (kind: Kind, id: string) => `${kind}:${id}`;

/** Sync until nothing more is waiting; returns how many answers it took. */
async function sync(store: Store): Promise<{ answers: number; updated: number; removed: number }> {
  const counts = { answers: 0, updated: 0, removed: 0 };
  for (;;) {
    const variables: SyncQueryVariables = { since: store.token, perPage: 50 };
    const { changes } = await post<SyncQuery>("Sync", variables);
    if (!changes) throw new Error("changes is null");
    for (const item of changes.updated) store.objects.set(key(item.kind, item.id), objectOf(item));
    for (const gone of changes.removed) store.objects.delete(key(gone.kind, gone.id));
    counts.answers += 1;
    counts.updated += changes.updated.length;
    counts.removed += changes.removed.length;
    store.token = changes.nextToken;
    if (!changes.hasMore) return counts;
  }
}

async function load(dir: string): Promise<Store> {
  const objects = new Map<string, Stored>();
  let token: string | null = null;
  try {
    token = JSON.parse(await readFile(`${dir}/token.json`, "utf8")) as string;
    for (const name of await readdir(`${dir}/objects`)) {
      objects.set(name.replace(/\.json$/, ""), JSON.parse(await readFile(`${dir}/objects/${name}`, "utf8")));
    }
  } catch {
    // No store yet: a first sync.
  }
  return { objects, token };
}

async function save(dir: string, store: Store): Promise<void> {
  await mkdir(`${dir}/objects`, { recursive: true });
  // Rewritten whole: a small store. An app writes only the changed files.
  const old = new Set(await readdir(`${dir}/objects`));
  for (const [name, object] of store.objects) {
    await writeFile(`${dir}/objects/${name}.json`, JSON.stringify(object, null, 1), "utf8");
    old.delete(`${name}.json`);
  }
  for (const name of old) await writeFile(`${dir}/objects/${name}`, "null", "utf8");
  await writeFile(`${dir}/token.json`, JSON.stringify(store.token), "utf8");
}

/** A stored guide as plain text, from its trees only (no HTML), as a native screen shows it. */
function renderGuide(store: Store, guide: Stored): string {
  type Block = { __typename: string; text?: string; level?: number; title?: string | null; valueTree?: RichTextDocument; bodyTree?: RichTextDocument };
  const parts = [`# ${guide.title as string}`];
  const quick = guide.quickAnswerTree as RichTextDocument | null;
  if (quick) parts.push(plainText(quick));
  for (const block of guide.body as Block[]) {
    if (block.__typename === "HeadingBlock") parts.push(`${"#".repeat(block.level ?? 2)} ${block.text}`);
    if (block.__typename === "ParagraphBlock" && block.valueTree) parts.push(plainText(block.valueTree));
    if (block.__typename === "CalloutBlock" && block.bodyTree) {
      parts.push(`[${block.title ?? "Note"}] ${plainText(block.bodyTree)}`);
    }
  }
  // FAQs are stored once, by id: the guide names them.
  for (const { id } of guide.faqs as { id: string }[]) {
    const faq = store.objects.get(key("FAQ", id));
    if (faq) parts.push(`Q: ${faq.question as string}\nA: ${plainText(faq.answerTree as RichTextDocument)}`);
  }
  return parts.join("\n\n");
}

/** The store as the API shows it now: the same objects read afresh, through the ordinary queries. */
async function freshFromTheApi(store: Store): Promise<Map<string, Stored>> {
  const fresh = await post<SyncFreshQuery>("SyncFresh");
  const expected = new Map<string, Stored>();
  for (const guide of fresh.guides?.items ?? []) expected.set(key("GUIDE", guide.id), guide);
  for (const hub of fresh.hubs) expected.set(key("HUB", hub.id), hub);
  for (const faq of fresh.faqs?.items ?? []) expected.set(key("FAQ", faq.id), faq);
  // Terms and settings have no list of their own here: a new app's first sync has them.
  const newApp: Store = { objects: new Map(), token: null };
  await sync(newApp);
  for (const [name, object] of newApp.objects) {
    if (!/^(GUIDE|HUB|FAQ):/.test(name)) expected.set(name, object);
  }
  const settings = [...expected.keys()].filter((name) => name.startsWith("SITE_SETTINGS:"));
  if (settings.length !== 1) throw new Error(`expected one site settings object, got ${settings}`);
  expected.set(settings[0], fresh.siteSettings);
  return expected;
}

function differences(stored: Map<string, Stored>, expected: Map<string, Stored>): string[] {
  const found: string[] = [];
  for (const name of new Set([...stored.keys(), ...expected.keys()])) {
    const mine = stored.has(name) ? JSON.stringify(stored.get(name), null, 1) : undefined;
    const theirs = expected.has(name) ? JSON.stringify(expected.get(name), null, 1) : undefined;
    if (mine === theirs) continue;
    if (mine === undefined) found.push(`- missing from the store: ${name}`);
    else if (theirs === undefined) found.push(`+ in the store, not in the API: ${name}`);
    else found.push(`~ ${name}\n  store: ${mine.replace(/\n/g, " ")}\n  API:   ${theirs.replace(/\n/g, " ")}`);
  }
  return found;
}

async function main(): Promise<void> {
  const [step, dir] = process.argv.slice(2);
  if (!dir || (step !== "first" && step !== "again")) {
    throw new Error("usage: node app.js first|again <store dir>");
  }
  const store = await load(dir);
  if (step === "first" && store.token !== null) throw new Error(`${dir} is not empty`);
  if (step === "again" && store.token === null) throw new Error(`${dir} has no token`);
  const counts = await sync(store);
  await save(dir, store);
  const kinds = new Map<string, number>();
  for (const name of store.objects.keys()) kinds.set(name.split(":")[0], (kinds.get(name.split(":")[0]) ?? 0) + 1);
  console.log(`${step} sync: ${counts.answers} answer(s), ${counts.updated} updated, ${counts.removed} removed; store: ${JSON.stringify(Object.fromEntries(kinds))}`);

  if (step === "first") {
    const slug = process.env.RENDER_GUIDE ?? "asking-for-a-second-opinion";
    const guide = [...store.objects.values()].find((object) => object.slug === slug);
    if (!guide) throw new Error(`guide ${slug} is not in the store`);
    const text = renderGuide(store, guide);
    if (text.length < 200 || /<[a-z]/i.test(text)) throw new Error(`rendering failed:\n${text}`);
    console.log(`rendered ${slug} from the stored trees: ${text.length} characters\n${text.slice(0, 400)}…`);
  }

  const found = differences(store.objects, await freshFromTheApi(store));
  if (found.length) {
    console.error(`The store differs from the API in ${found.length} object(s):\n${found.join("\n")}`);
    process.exitCode = 1;
    return;
  }
  for (const [name, value] of Object.entries(expectations())) {
    const object = store.objects.get(name);
    if (value === null ? object !== undefined : object?.title !== value) {
      console.error(`expected ${name} to be ${value === null ? "gone" : `titled ${value}`}, found ${JSON.stringify(object?.title)}`);
      process.exitCode = 1;
      return;
    }
  }
  console.log(`${step}: the store (${store.objects.size} objects) equals the API`);
}

/** EXPECT='{"GUIDE:12": "New title", "GUIDE:13": null}': what the server's edits must have done. */
function expectations(): Record<string, string | null> {
  return JSON.parse(process.env.EXPECT ?? "{}") as Record<string, string | null>;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
