// Starts GOV.UK Frontend and MOJ Frontend. Loaded as <script type="module">, so it runs only in
// browsers that support ES modules: exactly the ones the frontends' JavaScript supports.
// No inline scripts anywhere (CSP script-src 'self'), so the classes that GOV.UK's page
// template would set with an inline snippet are set here instead.
import { initAll as initGovukFrontend } from "../govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../moj/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovukFrontend();
initMojFrontend();
