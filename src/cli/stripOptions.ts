import type { Argv } from 'yargs';

/** strip's own options (the source options come from main). */
export function stripOptions<T>(y: Argv<T>) {
  return y
    .positional('ref', { type: 'string', describe: 'IMAGE: an archive file (needed for -o), -, oci:DIR, or an engine or registry reference (--plan)' })
    .option('o', { type: 'string', describe: 'write the stripped image to FILE (docker save format; --format oci for an OCI archive)' })
    .option('format', { type: 'string', describe: 'docker (default) or oci' })
    .option('tag', { type: 'string', describe: 'the name the stripped image loads as (default: the original name with -stripped)' })
    .option('plan', { type: 'boolean', describe: 'list every kept path with the chain of reasons that keeps it; write no image' })
    .option('json', { type: 'string', describe: 'write the plan (kept paths with reasons, dropped paths with sizes, totals, profiles) to FILE' })
    .option('why', { type: 'string', describe: 'say why PATH is kept (or that it is dropped)' })
    .option('exec', { type: 'string', array: true, describe: 'PATH or name: another program to keep with its closure (repeatable)' })
    .option('keep', { type: 'string', array: true, describe: 'GLOB: files and directories kept as they are (repeatable)' })
    .option('package', { type: 'string', array: true, describe: "NAME: every file the package installed (dpkg's lists, apk's db; repeatable)" })
    .option('smoke', { type: 'string', array: true, describe: 'CMD: run it in a chroot of the original and of the stripped filesystem and compare (root; repeatable; no image on a difference)' })
    .option('keep-dlopen', { type: 'boolean', describe: 'keep the libraries kept programs name as strings (what they may dlopen; listed as maybe needed otherwise)' })
    .option('keep-shell', { type: 'boolean', describe: 'keep /bin/sh for a shell-form command' })
    .option('nss', { type: 'boolean', describe: 'NSS modules and /etc/passwd, /etc/group, /etc/nsswitch.conf (on when libc is kept; --no-nss)' })
    .option('ca-certs', { type: 'boolean', describe: 'the CA store (on when a TLS library or a Go program is kept; --no-ca-certs)' })
    .option('tz', { type: 'boolean', describe: '/etc/localtime and the zone of TZ (--no-tz)' })
    .option('locale', { type: 'boolean', describe: 'locales and gconv modules when LANG/LC_* is set (--no-locale)' })
    .option('hosts', { type: 'boolean', describe: '/etc/hosts and /etc/resolv.conf, empty placeholders if missing (--no-hosts)' })
    .option('dirs', { type: 'boolean', describe: 'WorkingDir, Volumes and /tmp (1777) (--no-dirs)' })
    .option('platform', { type: 'string', describe: 'os/arch[/variant] to pick from a multi-platform index' })
    .option('image', { type: 'string', describe: 'NAME[:TAG] or number of the image in a multi-image archive' })
    .option('ci-config', { type: 'string', describe: 'the .dive-ci file whose rule settings the review uses' });
}
