import type { Page } from 'playwright-core';

/**
 * Collects the Content-Security-Policy violations of a page (the browser's `securitypolicyviolation` events and its
 * console reports of refused loads), so a console journey can assert that the page runs under the services' CSP
 * (`default-src 'self'`, no inline script or style) without being blocked anywhere. Call before the first goto.
 */
export async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  // Injected by the browser's debugging protocol, which the page's CSP does not govern.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI));`,
  });
  return violations;
}
