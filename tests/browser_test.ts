/**
 * The demo site in a real browser: Debian's Chromium, headless, driven by playwright-core,
 * against real `deno run` and `bun run` servers. Set UPDATE_SCREENSHOTS=1 to refresh the
 * screenshots under docs/screenshots/ (the README shows them).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import process from "node:process";
import { type Browser, chromium, type Page } from "playwright-core";
import { fromFileUrl } from "../src/base/path.ts";
import { RUNTIMES, type ServerProcess, startServer } from "./support/server_process.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = fromFileUrl(new URL("../docs/screenshots/", import.meta.url));
const UPDATE = process.env.UPDATE_SCREENSHOTS === "1";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(
    `Chromium is required in CI and is not at ${CHROMIUM} (apt-get install chromium)`,
  );
}
if (!available) {
  console.warn(`browser_test: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser: Browser;
beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  if (UPDATE) await mkdir(SHOTS, { recursive: true });
}, 60_000);
afterAll(() => browser?.close());

for (const runtime of RUNTIMES) {
  describe.skipIf(!available)(`${runtime}: the demo site in Chromium`, () => {
    let site: ServerProcess;
    let page: Page;
    const failures: string[] = [];

    beforeAll(async () => {
      site = await startServer(runtime);
      page = await browser.newPage({ viewport: { width: 1024, height: 640 } });
      page.on("requestfailed", (request) => failures.push(`failed ${request.url()}`));
      page.on("response", (response) => {
        if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
      });
    }, 60_000);
    afterAll(async () => {
      await page?.close();
      await site?.stop();
    });

    const shot = async (name: string) => {
      if (UPDATE && runtime === "deno") await page.screenshot({ path: `${SHOTS}${name}.png` });
    };

    test("the landing page renders with the local stylesheet and every resource loads", async () => {
      await page.goto(site.url);
      expect(await page.title()).toContain("edge-wsgi");
      const sheets = await page.evaluate(() =>
        [...document.styleSheets].map((sheet) => sheet.cssRules.length)
      );
      expect(sheets.length).toBeGreaterThan(0);
      expect(sheets[0]).toBeGreaterThan(10);
      // The stylesheet lays the navigation bar out as a flex row; the browser default is block.
      const navDisplay = await page.evaluate(() =>
        getComputedStyle(document.querySelector("nav")!).display
      );
      expect(navDisplay).toBe("flex");
      expect(failures).toEqual([]);
      await shot("index");
    });

    test("the navigation links work: landing → navigation bar → dropdown → contact", async () => {
      await page.goto(site.url);
      await page.click('main a[href="simple_navbar.html"]');
      await page.waitForURL("**/simple_navbar.html");
      expect(await page.locator("h1").first().textContent()).toContain("My navigation");
      await page.click("nav details summary");
      await shot("navbar");
      await page.click('nav a[href="contact.html"]');
      await page.waitForURL("**/contact.html");
      expect(await page.locator("address").textContent()).toContain("michael@xxx.com");
      expect(failures).toEqual([]);
      await shot("contact");
    });

    test("the GBK page is decoded as GBK and shows its Chinese text", async () => {
      await page.goto(new URL("biye.html", site.url).href);
      expect(await page.evaluate(() => document.characterSet)).toBe("GBK");
      expect(await page.locator("h1").textContent()).toBe("毕业季");
      expect(await page.locator("main").textContent()).toContain("你对我说的你好");
      expect(failures).toEqual([]);
      await shot("gbk");
    });

    test("the demo apps answer in the browser: hello, files, echo, stream", async () => {
      await page.goto(new URL("apps/hello/Michael", site.url).href);
      expect(await page.locator("h1").textContent()).toBe("Hello, Michael!");
      await page.goto(new URL("apps/files", site.url).href);
      expect(page.url()).toEndWith("/apps/files/");
      expect(await page.locator("h1").first().textContent()).toContain("My navigation");
      await page.goto(new URL("apps/echo", site.url).href);
      await page.fill('input[name="name"]', "Michael");
      await page.fill('textarea[name="message"]', "你好 <b>");
      await page.click('button[type="submit"]');
      await page.waitForSelector("table");
      expect(await page.locator("table").textContent()).toContain("你好 <b>");
      await shot("echo");
      await page.goto(new URL("apps/stream?n=3&interval=50", site.url).href);
      expect(await page.locator("body").textContent()).toContain("chunk 3 of 3");
      expect(failures).toEqual([]);
    });
  });
}
