# One image for the five Duban services; pick one with SERVICE (build arg or env):
#   docker build -t duban:dev --build-arg SERVICE=projects .
#   docker run -e SERVICE=scheduler duban:dev
# The same image runs the deploy steps: `node dist/deploy/local/migrate.js` and
# `node dist/libs/messaging/src/provisioning/provision.cli.js` (see docker-compose.yml `init`).

# ---- deps: every dependency (the build needs the dev ones) ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- build: compile apps, libs and the migrate script to dist/ ----
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY deploy/local/migrate.ts ./deploy/local/migrate.ts
# `npm run build` plus deploy/local/migrate.ts, with rootDir . so the layout stays
# dist/apps/<svc>/src, dist/libs/<lib>/src and dist/deploy/local/migrate.js.
RUN echo '{"extends":"./tsconfig.build.json","compilerOptions":{"rootDir":".","sourceMap":false},"include":["apps/**/*.ts","libs/**/*.ts","deploy/local/migrate.ts"]}' > tsconfig.image.json \
 && npx tsc -p tsconfig.image.json \
 && node -e "const p=require('./tsconfig.json').compilerOptions.paths,o={};for(const[k,v]of Object.entries(p))o[k]=v;require('fs').writeFileSync('tsconfig.paths.json',JSON.stringify({compilerOptions:{baseUrl:'./dist',paths:o}}))"

# ---- prod-deps: production dependencies only, plus tsconfig-paths for the @duban/* aliases ----
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=deps /app/node_modules/tsconfig-paths ./node_modules/tsconfig-paths
COPY --from=deps /app/node_modules/json5 ./node_modules/json5
COPY --from=deps /app/node_modules/minimist ./node_modules/minimist
COPY --from=deps /app/node_modules/strip-bom ./node_modules/strip-bom

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
ARG SERVICE=projects
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    DUBAN_HTTP_HOST=0.0.0.0 \
    TS_NODE_PROJECT=/app/tsconfig.paths.json \
    NODE_OPTIONS="-r tsconfig-paths/register"
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/tsconfig.paths.json ./tsconfig.paths.json
COPY --chown=node:node package.json ./
# The working-day calendar's local overrides (DUBAN_CALENDAR_OVERRIDE's default path).
COPY --chown=node:node deploy/calendar ./deploy/calendar
USER node
EXPOSE 3001 3002 3003 3004 3005
# The port follows the service (projects 3001 … scheduler 3005) unless DUBAN_<SERVICE>_PORT says otherwise.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "const s=process.env.SERVICE,d={projects:3001,parks:3002,transport:3003,evaluation:3004,scheduler:3005},p=process.env['DUBAN_'+s.toUpperCase()+'_PORT']||d[s];require('http').get({host:'127.0.0.1',port:p,path:'/health/live',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/src/main.js"]
