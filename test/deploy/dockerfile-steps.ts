import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';

/**
 * Runs a Dockerfile's steps without a Docker engine, so that the image's recipe is exercised by the test
 * suite: every stage gets a folder standing for its filesystem, COPY copies the same files (the build context
 * filtered by the Dockerfile's .dockerignore, or another stage's files), RUN runs the same command in the
 * stage's working directory with its ENV. What a container would do to the system itself cannot run here and
 * is checked instead: `apt-get install` lines must name packages this Debian machine has (the image is
 * Debian bookworm too), and the final stage's system commands (creating and handing over the data folder)
 * are recorded, not run. The result is a folder laid out as the image's /app, ready to start.
 */
export interface DockerfileRun {
  /** The final stage's working directory, as built here. */
  appDir: string;
  /** The final stage's environment (ENV) and command (CMD). */
  env: Record<string, string>;
  cmd: string[];
  user: string | null;
  healthcheck: string | null;
  /** What ran, in order, for a failure to show. */
  log: string[];
}

export class DockerfileStepFailed extends Error {
  constructor(
    readonly step: string,
    readonly output: string,
    readonly log: string[],
  ) {
    super(`Dockerfile step failed: ${step}\n${output.slice(-4000)}`);
  }
}

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) current += line.slice(0, -1) + ' ';
    else {
      logical.push(current + line);
      current = '';
    }
  }
  return logical.map((l) => {
    const [keyword, ...rest] = l.trim().split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** A JSON-array form (`["node", "x"]`) or a shell form. */
function command(args: string): string[] {
  return args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

/** .dockerignore patterns as a matcher of context-relative paths (the subset of its syntax used here). */
function ignoreMatcher(patterns: string[]): (path: string) => boolean {
  const regexps = patterns
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => {
      const source = p
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .map((part) =>
          part === '**'
            ? '(?:.*/)?'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/',
        )
        .join('')
        .replace(/\/$/, '');
      return new RegExp(`^${source}(?:/.*)?$`);
    });
  return (path) => regexps.some((r) => r.test(path));
}

/** Runs the steps of `dockerfile` (its text) with `context` as the build context, into `outDir`. */
export function runDockerfile(
  dockerfile: string,
  context: string,
  outDir: string,
  ignore: string[],
): DockerfileRun {
  const ignored = ignoreMatcher(ignore);
  const stages = new Map<string, string>();
  const log: string[] = [];
  let root = '';
  let workdir = '/';
  let env: Record<string, string> = {};
  let cmd: string[] = [];
  let user: string | null = null;
  let healthcheck: string | null = null;
  let final = false;
  const all = instructions(dockerfile);
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  const inStage = (path: string) => join(root, posix.resolve(workdir, path));

  all.forEach((step, index) => {
    const shown = `${step.keyword} ${step.args}`;
    log.push(shown);
    switch (step.keyword) {
      case 'FROM': {
        const [, , name] = step.args.split(/\s+/);
        root = join(outDir, `stage-${stages.size}`);
        mkdirSync(root, { recursive: true });
        if (name) stages.set(name, root);
        stages.set(String(stages.size), root);
        workdir = '/';
        env = {};
        final = index === lastFrom;
        return;
      }
      case 'WORKDIR':
        workdir = posix.resolve(workdir, step.args);
        mkdirSync(inStage('.'), { recursive: true });
        return;
      case 'ENV':
        for (const pair of step.args.match(/\S+=\S+/g) ?? []) {
          const [key, ...value] = pair.split('=');
          env[key] = value.join('=');
        }
        return;
      case 'COPY': {
        const words = step.args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop()!;
        const base = from ? stages.get(from) : context;
        if (!base) throw new DockerfileStepFailed(shown, `no stage ${from}`, log);
        for (const source of paths) {
          const src = join(base, source);
          if (!existsSync(src) || (!from && ignored(relative(context, src))))
            throw new DockerfileStepFailed(
              shown,
              `${source} is not in the ${from ? 'stage' : 'context'}`,
              log,
            );
          // A folder's contents go into the destination; files into it when it is a folder (ends with /).
          const folder = statSync(src).isDirectory();
          const into = dest.endsWith('/') || paths.length > 1;
          const target = folder || !into ? inStage(dest) : join(inStage(dest), basename(source));
          mkdirSync(folder ? target : dirname(target), { recursive: true });
          cpSync(src, target, {
            recursive: true,
            filter: (path) => !!from || !ignored(relative(context, path).split('\\').join('/')),
          });
        }
        return;
      }
      case 'RUN': {
        const packages = /apt-get install [^&]*?((?:\s+[a-z0-9][a-z0-9+.-]+)+)\s*(?:&&|$)/.exec(step.args);
        if (packages) {
          const names = packages[1]
            .trim()
            .split(/\s+/)
            .filter((p) => !p.startsWith('-'));
          const missing = names.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
          if (missing.length)
            throw new DockerfileStepFailed(shown, `Debian packages missing: ${missing.join(' ')}`, log);
          log.push(`  (packages checked with dpkg: ${names.join(' ')})`);
          return;
        }
        if (final) {
          // The final stage prepares the system (the data folder and its owner): recorded, not run here.
          log.push('  (system step of the final stage: recorded)');
          return;
        }
        const result = spawnSync('/bin/bash', ['-c', step.args], {
          cwd: inStage('.'),
          env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (result.status !== 0)
          throw new DockerfileStepFailed(shown, `${result.stdout}\n${result.stderr}`, log);
        return;
      }
      case 'USER':
        user = step.args;
        return;
      case 'CMD':
        cmd = command(step.args);
        return;
      case 'HEALTHCHECK':
        healthcheck = step.args;
        return;
      case 'EXPOSE':
      case 'ARG':
      case 'LABEL':
        return;
      default:
        throw new DockerfileStepFailed(shown, `instruction ${step.keyword} is not run by this check`, log);
    }
  });
  return { appDir: inStage('.'), env, cmd, user, healthcheck, log };
}
