// Makes the README's screenshots: the patient flow on a 360-px phone and the
// physician's referral summary, in English and Simplified Chinese. Starts the
// demo server, drives Debian's Chromium, writes PNGs into docs/screenshots/.
//   node tests/screenshots.mjs        (TRIALSCREEN_DIST=... for another build)
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AS_OF, launchBrowser, setAsOf, startServer, widgetReady } from './e2e/support.mjs';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const LANGUAGES = { en: 'en-GB', 'zh-Hans': 'zh-CN' };

// Everything a patient can answer, for an eligible woman (the site's
// criteria remain for the study team).
const PATIENT_ELIGIBLE = {
  age: 45, sex: 'female', childbearing_potential: true, weight: 62, hemodialysis: false, cns_disease: false,
  psychiatric_depression_or_suicidal: false, serious_organ_disease: false, immunodeficiency: false,
  uncontrolled_infection: false, peptic_ulcer: false, hiv: false, hbv_active: false, hcv_active: false, syphilis: false,
  severe_allergy: false, drainage_tube: false, malignancy: 'none', immunosuppressant_last_dose: 'none',
  live_vaccine_date: 'none', major_surgery_date: 'none', surgery_planned: false, prior_cd19_bcma_therapy: false,
  last_trial_date: 'none', pregnant: false, lactating: false, plans_children_1y: false, agrees_contraception: true,
  agrees_follow_up: true, informed_consent: true,
};

// A physician's referral in progress: labs with a unit slip, SLEDAI item by item.
const PHYSICIAN = {
  ...PATIENT_ELIGIBLE,
  eular_acr_2019_score: 14, ana_positive: true,
  sledai_arthritis: true, sledai_rash: true, sledai_low_complement: true, sledai_dna_binding: true,
  cd19_b_cells: true, hemoglobin: { value: 11.2, unit: 'g/dL' }, wbc: { value: 4.1, unit: '10*9/L' },
  neutrophils: { value: 2.3, unit: '10*9/L' }, platelets: { value: 180, unit: '10*9/L' },
  ast: 28, ast_uln: 40, alt: 31, alt_uln: 40, creatinine: { value: 68, unit: 'umol/L' }, bilirubin: { value: 0.6, unit: 'mg/dL' },
  lvef: 62, venous_access: true, pregnancy_test_negative: true, live_vaccine_date: '2026-11-01',
};

// The whole page, or only what the viewport shows (`fullPage: false`), or a clip.
async function shot(page, name, options = { fullPage: true }) {
  await page.screenshot({ path: `${OUT}${name}.png`, ...options });
  console.log(`docs/screenshots/${name}.png`);
}

async function setAnswers(page, answers) {
  await page.locator('trial-screener').evaluate((element, value) => { element.answers = value; }, answers);
}

async function patient(browser, origin, lang) {
  const context = await browser.newContext({ viewport: PHONE, locale: LANGUAGES[lang], deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${origin}/?lang=${lang}`);
  await widgetReady(page);
  await setAsOf(page);
  const widget = page.locator('trial-screener');
  await widget.locator('[data-key="age:value"]').fill('45');
  await widget.locator('[data-key="sex:o0"]').check();
  await widget.locator('[data-key="childbearing_potential:yes"]').check();
  await shot(page, `patient-${lang}-1-step`);

  // Everything answered up to the treatments section, then a recent live vaccine.
  const { live_vaccine_date: _, ...beforeVaccine } = PATIENT_ELIGIBLE;
  await setAnswers(page, Object.fromEntries(Object.entries(beforeVaccine).filter(([id]) => !['major_surgery_date', 'surgery_planned', 'prior_cd19_bcma_therapy', 'last_trial_date', 'pregnant', 'lactating', 'plans_children_1y', 'agrees_contraception', 'agrees_follow_up', 'informed_consent'].includes(id))));
  await widget.locator('[data-key="live_vaccine_date:on-date"]').check();
  await widget.locator('[data-key="live_vaccine_date:date"]').fill('2026-11-01');
  await widget.locator('[data-key="continue"]').click();
  await widget.locator('#outcome-title').waitFor();
  await shot(page, `patient-${lang}-2-not-now`);

  await setAnswers(page, PATIENT_ELIGIBLE);
  await widget.locator('#outcome-title').waitFor();
  await shot(page, `patient-${lang}-3-may-be-eligible`);
  await context.close();
}

async function physician(browser, origin, lang) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: LANGUAGES[lang], deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${origin}/physician.html?lang=${lang}`);
  await widgetReady(page);
  await setAsOf(page);
  await setAnswers(page, PHYSICIAN);
  const widget = page.locator('trial-screener');
  // A haemoglobin typed in the wrong unit, to show the hint.
  await widget.locator('[data-key="hemoglobin:value"]').fill('8.5');
  await widget.locator('[data-key="hemoglobin:unit"]').selectOption('g/L');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, `physician-${lang}-1-top`, { fullPage: false });
  const hemoglobin = widget.locator('[data-field="hemoglobin"]');
  await page.evaluate((top) => window.scrollTo(0, top - 120), (await hemoglobin.boundingBox()).y);
  await shot(page, `physician-${lang}-2-unit-hint`, { fullPage: false });
  await widget.locator('[data-key="hemoglobin:use-unit"]').click();
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 800, height: 1100 });
  await shot(page, `physician-${lang}-3-printed-summary`, { clip: { x: 0, y: 0, width: 800, height: 1600 }, fullPage: true });
  await context.close();
}

await mkdir(OUT, { recursive: true });
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const lang of Object.keys(LANGUAGES)) {
    await patient(browser, server.origin, lang);
    await physician(browser, server.origin, lang);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screening date ${AS_OF}`);
