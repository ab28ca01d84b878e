/** @odoo-module **/
/*
 * Screenshots of the tours for the README (scripts/screenshots.sh).
 *
 * The tours are run with the cookie below only when screenshots are wanted; the step then asks
 * the test (addons_tests/.../test_tours.py) for a screenshot with a console message and waits
 * until the test says it has taken it. Without the cookie the step is left out.
 */

export const SCREENSHOT_COOKIE = "customer_archive_screenshots=1";

function screenshotsWanted() {
    return document.cookie.split(/;\s*/).includes(SCREENSHOT_COOKIE);
}

/**
 * Steps taking a screenshot called `name` once `trigger` is shown.
 * @param {string} name file name without extension, e.g. "borrow_request"
 * @param {string} trigger what must be on screen first
 */
export function screenshot(name, trigger = "body") {
    if (!screenshotsWanted()) {
        return [];
    }
    return [
        {
            content: `screenshot ${name}`,
            trigger,
            async run() {
                // Let transitions and the last RPC's rendering settle.
                await new Promise((resolve) => setTimeout(resolve, 700));
                console.log(`customer_archive_screenshot:${name}`);
                const start = Date.now();
                while (document.body.dataset.customerArchiveScreenshot !== name) {
                    if (Date.now() - start > 15000) {
                        throw new Error(`screenshot ${name} was not taken`);
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
    ];
}
