// Opens the mock's control page in headless Chromium, clicks the 503
// button, and checks that the page shows the new state. Usage:
//   node control_page.js http://127.0.0.1:PORT
// Exit 0 when the page did its job, 1 otherwise, with the reason.
'use strict';

const { chromium } = require('playwright-core');

const url = process.argv[2];

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update', '--no-first-run',
			'--disable-sync'],
	});
	try {
		const page = await browser.newPage();
		page.setDefaultTimeout(30000);
		await page.goto(url + '/');
		await page.waitForSelector('#summary:has-text("status 200")');
		await page.click('#s503');
		await page.waitForSelector('#summary:has-text("status 503")');
		const summary = await page.textContent('#summary');
		console.log('page shows: ' + summary);
		await page.click('#flaky');
		await page.waitForSelector('#summary:has-text("503=30")');
		await page.click('#reset');
		await page.waitForSelector('#summary:has-text("status 200")');
		await page.click('#s503');
		await page.waitForSelector('#summary:has-text("status 503")');
	} finally {
		await browser.close();
	}
}

main().catch((e) => {
	console.error('control page: ' + e.message);
	process.exit(1);
});
