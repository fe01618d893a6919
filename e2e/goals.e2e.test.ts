import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * The SAME cycle in the browser: a manager sets a team goal aligned to a company goal; an employee of
 * that team sets a personal goal under it and checks in; the alignment view shows the chain
 * company → team → personal.
 */

const baseUrl = inject('baseUrl');
const COMPANY_GOAL = 'Grow annual recurring revenue to €24M';
const TEAM_GOAL = 'Every Platform service deploys on Fridays without fear';
const PERSONAL_GOAL = 'Automate rollback checks for the billing service';
const LINKED_GOAL = 'Platform merges 400 small pull requests';

describe.runIf(browserSpecsEnabled())('goals: set, align, check in, see the chain', () => {
  const session = browserSession(baseUrl, {
    height: 1000,
    onPage: (page) => page.on('pageerror', (e) => errors.push(e.message)),
  });
  const freshPage = () => session.freshPage();
  const errors: string[] = [];

  /** A form field by its label; required fields carry a trailing asterisk. */
  const field = (scope: Page | ReturnType<Page['locator']>, label: string) =>
    scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`));

  async function choose(page: Page, label: string, option: string) {
    await field(page, label).first().click();
    await page.getByRole('option', { name: option }).first().click();
  }

  it('a manager sets a team goal aligned to a company goal', async () => {
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'manager'));
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Goals' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Goals' }).waitFor();
    await page.getByRole('tab', { name: 'My team’s goals' }).click();
    await page.getByTestId('stalled-goals').waitFor();
    await page.getByRole('link', { name: 'New goal' }).click();
    await page.getByRole('heading', { level: 1, name: 'New goal' }).waitFor();
    // a manager may also set a personal goal for a direct report
    await field(page, 'Owner').first().click();
    await expect
      .poll(() => page.getByRole('option', { name: /^Personal goal for / }).count())
      .toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    await choose(page, 'Owner', 'Team: Platform');
    await field(page, 'Goal').fill(TEAM_GOAL);
    await page
      .getByLabel('Why it matters')
      .fill('Fear of deploying slows every team that builds on the platform.');
    await field(page, 'Metric').fill('services with automatic rollback');
    await field(page, 'Start').fill('4');
    await field(page, 'Target').fill('24');
    await choose(page, 'Supports', `Company: ${COMPANY_GOAL}`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Set goal' }).click();

    await page.getByRole('heading', { level: 1, name: TEAM_GOAL }).waitFor();
    const alignment = page.getByTestId('goal-alignment');
    expect(await alignment.innerText()).toContain(COMPANY_GOAL);
    await snap(page, 'goals-team-goal');
  });

  it('an employee aligns a personal goal under it and checks in', async () => {
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'employee'));
    await page.goto(`${baseUrl}/goals/new`);
    await page.getByRole('heading', { level: 1, name: 'New goal' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Owner' }).inputValue()).toBe('Me — a personal goal');
    await field(page, 'Goal').fill(PERSONAL_GOAL);
    await page
      .getByLabel('Why it matters')
      .fill('Billing is the last service that still rolls back by hand.');
    await field(page, 'Metric').fill('rollback checks automated');
    await field(page, 'Start').fill('0');
    await field(page, 'Target').fill('8');
    await choose(page, 'Supports', `Team: ${TEAM_GOAL}`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Set goal' }).click();

    await page.getByRole('heading', { level: 1, name: PERSONAL_GOAL }).waitFor();
    expect(await page.getByTestId('goal-alignment').innerText()).toContain(TEAM_GOAL);

    const form = page.getByRole('form', { name: 'Check in' });
    await field(form, 'rollback checks automated now').fill('2');
    await form.getByText('3', { exact: true }).click();
    await field(form, 'Blockers').fill('Needs a staging database');
    await field(form, 'Note').fill('Two checks automated in the first week.');
    await form.getByRole('button', { name: 'Save check-in' }).click();
    const checkIns = page.getByTestId('check-ins');
    await checkIns.waitFor();
    const text = await checkIns.innerText();
    expect(text).toContain('2 (25%)');
    expect(text).toContain('3 / 5');
    expect(text).toContain('Needs a staging database');
    expect(await page.getByTestId('goal-progress').innerText()).toBe('25%');
    await page.getByTestId('progress-chart').waitFor();
    await expect.poll(() => page.getByTestId('goal-history').innerText()).toContain('Checked in');
    await snap(page, 'goals-personal-goal');

    // the alignment view shows the chain company → team → personal
    await page.goto(`${baseUrl}/goals/alignment`);
    await page.getByRole('heading', { level: 1, name: 'Alignment' }).waitFor();
    await page.getByLabel('Only the chains from my goals').check();
    const company = page.locator('[data-testid="alignment-node"][data-level="company"]', {
      hasText: COMPANY_GOAL,
    });
    const team = company.locator('[data-testid="alignment-node"][data-level="team"]', { hasText: TEAM_GOAL });
    const personal = team.locator('[data-testid="alignment-node"][data-level="personal"]', {
      hasText: PERSONAL_GOAL,
    });
    await personal.first().waitFor();
    expect(await personal.count()).toBeGreaterThanOrEqual(1);
    await snap(page, 'goals-alignment');
    expect(errors).toEqual([]);
  });

  it('the employee modifies the goal with a reason and completes it; owner and manager evaluate it', async () => {
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'employee'));
    await page.goto(`${baseUrl}/goals`);
    await page.getByRole('link', { name: PERSONAL_GOAL }).first().click();
    await page.getByRole('heading', { level: 1, name: PERSONAL_GOAL }).waitFor();
    const goalUrl = page.url();

    // Modify: the target moves; after a check-in the change needs a reason, kept in the history
    await page.getByRole('button', { name: 'Modify this goal' }).click();
    await field(page, 'Target (rollback checks automated)').fill('10');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('is required once the goal has check-ins').first().waitFor();
    await field(page, 'Why the change').fill('Two more services joined billing this quarter.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const history = page.getByTestId('goal-history');
    await expect.poll(() => history.innerText()).toContain('Two more services joined billing this quarter.');
    expect(await history.innerText()).toContain(
      'rollback checks automated 0 → 8 → rollback checks automated 0 → 10',
    );
    expect(await page.getByTestId('goal-progress').innerText()).toBe('20%');

    // Evaluate: once completed, the owner writes a self-assessment against the criteria
    await page.getByRole('button', { name: 'Modify this goal' }).click();
    await choose(page, 'Status', 'completed');
    await field(page, 'Why the change').fill('All billing checks are automated.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const evaluation = page.getByTestId('goal-evaluation');
    await evaluation.waitFor();
    // only what changed is recorded: the status, not the unchanged target
    await expect.poll(() => history.innerText()).toContain('status: active → completed');
    expect((await history.innerText()).match(/criteria:/g)).toHaveLength(1);
    expect(await evaluation.innerText()).toContain('Your self-assessment');
    await field(evaluation, 'Comment').fill('Ten of ten by the end; staging was the hard part.');
    await evaluation.getByRole('button', { name: 'Save evaluation' }).click();
    await expect.poll(() => evaluation.innerText()).toContain('Self-assessment: Met');

    // the manager adds theirs; both sit beside the criteria as development data
    const manager = await freshPage();
    await signInAs(manager, baseUrl, loginFor(session.logins, 'manager'));
    await manager.goto(goalUrl);
    const card = manager.getByTestId('goal-evaluation');
    await card.waitFor();
    expect(await card.innerText()).toContain('Ten of ten by the end');
    expect(await card.innerText()).toContain('Your assessment as manager');
    await choose(manager, 'Outcome against the criteria', 'Exceeded');
    await field(card, 'Comment').fill('Done early and documented for the other teams.');
    await card.getByRole('button', { name: 'Save evaluation' }).click();
    await expect.poll(() => card.innerText()).toContain('Manager assessment: Exceeded');
    expect(await manager.getByTestId('goal-history').innerText()).toContain('Evaluated');
    await snap(manager, 'goals-evaluated');

    // from the goal, the manager sees how this person's goals reach company strategy
    await manager.getByRole('link', { name: /goals reach company strategy$/ }).click();
    await manager.getByTestId('alignment-person').waitFor();
    const chain = manager
      .locator('[data-testid="alignment-node"][data-level="company"]', { hasText: COMPANY_GOAL })
      .locator('[data-testid="alignment-node"][data-level="team"]', { hasText: TEAM_GOAL })
      .locator('[data-testid="alignment-node"][data-level="personal"]', { hasText: PERSONAL_GOAL });
    await chain.first().waitFor();
    // only this person's personal goals are in this view
    const employee = loginFor(session.logins, 'employee').name;
    expect(await manager.getByTestId('alignment-person').innerText()).toContain(employee);
    const personal = await manager
      .locator('[data-testid="alignment-node"][data-level="personal"] > div')
      .allInnerTexts();
    expect(personal.length).toBeGreaterThan(0);
    expect(personal.filter((t) => !t.includes(employee))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a manager links a team goal to a signal, then to a business metric, and the history says why', async () => {
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'manager'));
    await page.goto(`${baseUrl}/goals/new`);
    await page.getByRole('heading', { level: 1, name: 'New goal' }).waitFor();
    await choose(page, 'Owner', 'Team: Platform');
    await field(page, 'Goal').fill(LINKED_GOAL);
    await page.getByLabel('Why it matters').fill('Small, frequent changes are the safest way to ship.');
    await field(page, 'Metric').fill('pull requests merged');
    await field(page, 'Start').fill('0');
    await field(page, 'Target').fill('400');
    await choose(page, 'Supports', `Team: ${TEAM_GOAL}`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Set goal' }).click();
    await page.getByRole('heading', { level: 1, name: LINKED_GOAL }).waitFor();
    expect(await page.getByTestId('goal-progress').innerText()).toBe('0%');

    // follow the team's merged pull requests (a signal): progress fills in from the work data at once
    const form = page.getByRole('form', { name: 'Follow data' });
    await form.getByText('Signal', { exact: true }).click();
    const signalBox = form.getByRole('combobox', { name: 'Signal' });
    // pick the option until the field shows it (a click while the dropdown still opens can miss)
    await expect
      .poll(
        async () => {
          await signalBox.click();
          await page
            .getByRole('option', { name: 'Pull requests merged (prs_merged)' })
            .click({ timeout: 5000 });
          return signalBox.inputValue();
        },
        { timeout: 20_000 },
      )
      .toBe('Pull requests merged (prs_merged)');
    await form.getByRole('button', { name: 'Follow this data' }).click();
    const summary = page.getByTestId('goal-link-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Follows the signal “prs_merged” (sum)');
    await expect.poll(async () => page.getByTestId('goal-progress').innerText()).not.toBe('0%');
    const history = page.getByTestId('goal-history');
    await expect.poll(async () => history.innerText()).toContain('Follows signal “prs_merged” (sum)');
    expect(await history.innerText()).toMatch(
      /prs_merged for team Platform \S+ reached \d+ from the new link/,
    );
    expect(await page.getByTestId('check-ins').innerText()).toContain('from data');
    // the next manual check-in starts from the value the data gave, not the one the page first loaded with
    const fromData = (await page.getByTestId('check-ins').locator('tbody tr td').nth(1).innerText()).split(
      ' ',
    )[0];
    const checkInValue = field(page.getByRole('form', { name: 'Check in' }), 'pull requests merged now');
    expect(await checkInValue.inputValue()).toBe(fromData);

    // switch to a business metric not imported yet: the link waits for data, and the change needs a reason
    await page.getByTestId('goal-link').getByRole('button', { name: 'Change link' }).click();
    const change = page.getByRole('form', { name: 'Follow data' });
    await change.getByText('Business metric', { exact: true }).click();
    const metricBox = change.getByRole('combobox', { name: 'Business metric' });
    await metricBox.fill('deploys_per_week');
    await page.keyboard.press('Escape');
    expect(await metricBox.inputValue()).toBe('deploys_per_week');
    await field(change, 'Why follow this data').fill('Deploys are what the platform team promises.');
    await change.getByRole('button', { name: 'Follow this data' }).click();
    await expect
      .poll(async () => summary.innerText())
      .toContain('Follows the business metric “deploys_per_week” (sum): no data for it yet');
    await expect
      .poll(async () => history.innerText())
      .toContain('Deploys are what the platform team promises.');
    await snap(page, 'goals-linked-goal');
    expect(errors).toEqual([]);
  });
});
