#!/usr/bin/env bash
# Builds the front-end assets into var/assets/ (settings.STATICFILES_DIRS), served at /static/:
#
#   var/assets/css/application.css         GOV.UK Frontend + MOJ Frontend + app styles (Sass)
#   var/assets/govuk/govuk-frontend.min.js GOV.UK Frontend JavaScript (ES module)
#   var/assets/moj/moj-frontend.min.js     MOJ Frontend JavaScript (ES module)
#   var/assets/govuk/assets/               fonts, images and manifest (+ MOJ's images)
#
# npm packages come from package-lock.json (npm ci); install scripts are not run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing. Install Node.js and npm, e.g.: sudo apt-get install -y nodejs npm" >&2
    exit 1
fi

npm_flags=(--no-audit --no-fund --ignore-scripts --loglevel=error)
stamp=node_modules/.openmash-installed
if [[ ! -f package-lock.json ]]; then
    npm install "${npm_flags[@]}"
    touch "$stamp"
elif [[ ! -f $stamp || package-lock.json -nt $stamp || package.json -nt $stamp ]]; then
    npm ci "${npm_flags[@]}"
    touch "$stamp"
fi

out=var/assets
govuk=node_modules/govuk-frontend/dist/govuk
moj=node_modules/@ministryofjustice/frontend/moj
tmp=$(mktemp -d var/assets.XXXXXX 2>/dev/null || { mkdir -p var && mktemp -d var/assets.XXXXXX; })
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/css" "$tmp/govuk/assets" "$tmp/moj"
node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
    --pkg-importer=node --load-path=. \
    openmash/web/assets/scss/application.scss "$tmp/css/application.css"
cp "$govuk"/govuk-frontend.min.js "$govuk"/govuk-frontend.min.js.map "$tmp/govuk/"
cp "$moj"/moj-frontend.min.js "$moj"/moj-frontend.min.js.map "$tmp/moj/"
cp -R "$govuk/assets/." "$tmp/govuk/assets/"
# MOJ Frontend's images (timeline, filter and other icons) sit beside GOV.UK's, where the
# stylesheet's $moj-assets-path points.
cp -R "$moj/assets/images/." "$tmp/govuk/assets/images/"

# Swap the new build in whole, so a failed build never leaves a half-written var/assets.
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "Front-end assets built in $out/"
