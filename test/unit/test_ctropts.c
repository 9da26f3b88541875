/*
 * test/unit/test_ctropts.c: create/run option parsing. argv in, the spec.h
 * JSON (and struct ctropts fields) out; bad values give podman's words.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/ctropts.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/str.h"
#include "unit.h"

static struct gopts g;

static const struct cmd run_cmd = { .name = "run", .opts = ctr_run_opts,
                                    .flags = CMD_STOP_AT_OPERAND | CMD_H_NOT_HELP };
static const struct cmd create_cmd = { .name = "create", .opts = ctr_create_opts,
                                       .flags = CMD_STOP_AT_OPERAND | CMD_H_NOT_HELP };
static char tmpdir[] = "/tmp/ctropts-ut/XXXXXX";

/* Splits a command line on spaces; "\x01" in a word stands for a space. */
static int parse_line(const char *line, bool is_run, struct ctropts *o, struct berr **err)
{
    struct cmd_ctx cx = { .g = &g, .cmd = is_run ? &run_cmd : &create_cmd,
                          .path = (char *) (is_run ? "berth run" : "berth create") };
    _cleanup_strv_ strv w = strv_split(line, " ");
    int r;

    for (size_t i = 0; w[i]; i++)
        for (char *p = w[i]; *p; p++)
            if (*p == '\x01')
                *p = ' ';
            else if (*p == '\x02')
                *p = '\0';      /* an empty word: "\x02" */
    r = ctropts_parse(&cx, (int) strv_len(w), w, is_run, o, err);
    return r;
}

static const struct { const char *argv, *want; } ok_cases[] = {
    /* operands, entrypoint, command */
    { "run img", "{}" },
    { "run img ls -l", "{\"command\":[\"ls\",\"-l\"]}" },
    { "run -h box img", "{\"hostname\":\"box\"}" },
    { "run --entrypoint \x02 img", "{\"entrypoint\":[]}" },
    { "run --entrypoint [\"a\",\"b\"] img c", "{\"entrypoint\":[\"a\",\"b\"],\"command\":[\"c\"]}" },
    { "run --entrypoint sh\x01-c img", "{\"entrypoint\":[\"sh -c\"]}" },
    { "run --entrypoint [bad img", "{\"entrypoint\":[\"[bad\"]}" },
    { "run -it --rm img", "{\"stdin\":true,\"terminal\":true,\"rm\":true}" },
    { "run --name web -w /srv -u 1000:1000 img", "{\"name\":\"web\",\"workdir\":\"/srv\",\"user\":\"1000:1000\"}" },
    /* env */
    { "run -e A=1 -e B=x=y -e CTROPTS_SET -e CTROPTS_UNSET img",
      "{\"env\":[\"A=1\",\"B=x=y\",\"CTROPTS_SET=hostval\"]}" },
    { "run -e A=1 -e A=2 img", "{\"env\":[\"A=2\"]}" },
    { "run -e CTROPTS_S* img", "{\"env\":[\"CTROPTS_SET=hostval\"]}" },
    { "run -e A=cli --env-file @/env img", "{\"env\":[\"A=cli\",\"B = 2 \",\"CTROPTS_SET=hostval\",\"C=\\\"q\\\"\"]}" },
    { "run --env-host --http-proxy=false img", "{\"envHost\":true,\"httpProxy\":false}" },
    /* labels, annotations */
    { "run -l a=b -l c --label-file @/labels img", "{\"labels\":{\"l1\":\"v1\",\"a\":\"b\",\"c\":\"\"}}" },
    { "run --annotation a=b,c=d img", "{\"annotations\":{\"a\":\"b\",\"c\":\"d\"}}" },
    /* mounts */
    { "run -v @/hd:/a:ro,z -v @/hd:/b img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/a\",\"options\":[\"ro\",\"z\"]},"
      "{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/b\",\"options\":[\"rw\"]}]}" },
    { "run -v ./hd:/b/:noexec,rslave img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/b\",\"options\":[\"noexec\",\"rslave\",\"rw\"]}]}" },
    { "run -v @/hd:/a -v @/hd:/a img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/a\",\"options\":[\"rw\"]}]}" },
    { "run --mount type=bind,src=@/hd,dst=/c,readonly,bind-propagation=shared,relabel=private img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/c\",\"options\":[\"ro\",\"shared\",\"Z\"]}]}" },
    { "run --mount type=bind,source=@/hd,target=/e,bind-nonrecursive,ro=false img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/e\",\"options\":[\"bind\",\"rw\"]}]}" },
    { "run --mount type=tmpfs,dst=/d,tmpfs-size=10m,tmpfs-mode=1777 img",
      "{\"mounts\":[{\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"destination\":\"/d\",\"options\":[\"size=10m\",\"mode=1777\"]}]}" },
    { "run --mount type=tmpfs,destination=/h,noexec,notmpcopyup img",
      "{\"mounts\":[{\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"destination\":\"/h\",\"options\":[\"noexec\",\"notmpcopyup\"]}]}" },
    { "run --tmpfs /f --tmpfs /g:size=10m,mode=1777,ro img",
      "{\"mounts\":[{\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"destination\":\"/f\",\"options\":[]},"
      "{\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"destination\":\"/g\",\"options\":[\"size=10m\",\"mode=1777\",\"ro\"]}]}" },
    /* volumes: named, anonymous, --mount type=volume, devpts, image */
    { "run -v vol:/x:ro,nocopy,U,z -v /anon img",
      "{\"mounts\":[{\"type\":\"volume\",\"name\":\"vol\",\"destination\":\"/x\",\"options\":[\"ro\",\"nocopy\",\"U\",\"z\"]},"
      "{\"type\":\"volume\",\"destination\":\"/anon\",\"options\":[]}]}" },
    { "run --mount type=volume,src=v,dst=/y,ro,volume-opt=type=tmpfs --mount type=volume,dst=/z img",
      "{\"mounts\":[{\"type\":\"volume\",\"name\":\"v\",\"destination\":\"/y\",\"options\":[\"ro\",\"volume-opt=type=tmpfs\"]},"
      "{\"type\":\"volume\",\"destination\":\"/z\",\"options\":[]}]}" },
    { "run -v @/hd:/o:O -v @/hd:/p:O,U img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/o\",\"options\":[\"O\"]},"
      "{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/p\",\"options\":[\"O\",\"U\"]}]}" },
    { "run --mount type=bind,src=@/hd,dst=/u,U,idmap img",
      "{\"mounts\":[{\"type\":\"bind\",\"source\":\"@/hd\",\"destination\":\"/u\",\"options\":[\"U\",\"idmap\",\"rw\"]}]}" },
    { "run --mount type=devpts,dst=/dev/pts2,newinstance,ptxmode=0666 --mount type=image,src=img2,dst=/i img",
      "{\"mounts\":[{\"type\":\"devpts\",\"source\":\"devpts\",\"destination\":\"/dev/pts2\",\"options\":[\"newinstance\",\"ptxmode=0666\"]},"
      "{\"type\":\"image\",\"source\":\"img2\",\"destination\":\"/i\",\"options\":[\"ro\"]}]}" },
    { "run --volumes-from a --volumes-from b:ro,z --image-volume tmpfs img",
      "{\"volumesFrom\":[\"a\",\"b:ro,z\"],\"imageVolume\":\"tmpfs\"}" },
    { "run --device /dev/null:/dev/nl:r,/dev/zero img", "{\"devices\":[\"/dev/null:/dev/nl:r\",\"/dev/zero\"]}" },
    /* resources */
    { "run -m 1.5g --memory-swap -1 img", "{\"resources\":{\"memory\":1610612736,\"memorySwap\":-1}}" },
    { "run -m 10KB --memory-swap 20kib img", "{\"resources\":{\"memory\":10240,\"memorySwap\":20480}}" },
    { "run -m 5b img", "{\"resources\":{\"memory\":5}}" },
    { "run --cpus 1.5 -c 512 --cpuset-cpus 0-1,3 --pids-limit -1 img",
      "{\"resources\":{\"cpus\":1.5,\"cpuShares\":512,\"cpusetCpus\":\"0-1,3\",\"pidsLimit\":-1}}" },
    { "run --cpus 0 img", "{}" },
    { "run --cpu-period 50000 --cpu-quota 20000 --cpu-rt-period 10000 --cpu-rt-runtime 1000 --cpuset-mems 0 img",
      "{\"resources\":{\"cpuPeriod\":50000,\"cpuQuota\":20000,\"cpuRtPeriod\":10000,\"cpuRtRuntime\":1000,\"cpusetMems\":\"0\"}}" },
    { "run --memory-reservation 10m --memory-swappiness 10 --oom-kill-disable img",
      "{\"resources\":{\"memoryReservation\":10485760,\"memorySwappiness\":10,\"oomKillDisable\":true}}" },
    { "run --memory-swappiness -1 --oom-kill-disable=false img", "{}" },
    { "run --blkio-weight 300 --device-read-bps /dev/loop0:1mb --device-write-iops /dev/loop0:100 img",
      "{\"resources\":{\"blkioWeight\":300,"
      "\"blkioReadBps\":[{\"path\":\"/dev/loop0\",\"major\":7,\"minor\":0,\"rate\":1048576}],"
      "\"blkioWriteIops\":[{\"path\":\"/dev/loop0\",\"major\":7,\"minor\":0,\"rate\":100}]}}" },
    { "run --blkio-weight-device /dev/loop0:20 --blkio-weight-device /dev/loop0:30 img",
      "{\"resources\":{\"blkioWeightDevice\":[{\"path\":\"/dev/loop0\",\"major\":7,\"minor\":0,\"weight\":30}]}}" },
    { "run --cgroup-conf memory.high=1m,pids.max=5 img",
      "{\"resources\":{\"unified\":{\"memory.high\":\"1m\",\"pids.max\":\"5\"}}}" },
    { "run --device-cgroup-rule c\x01" "1:3\x01rwm --device-cgroup-rule b\x01*:*\x01r img",
      "{\"deviceCgroupRules\":[\"c 1:3 rwm\",\"b *:* r\"]}" },
    { "run --cgroupns private --cgroups no-conmon img",
      "{\"namespaces\":{\"cgroup\":\"private\"},\"cgroupsMode\":\"no-conmon\"}" },
    { "run --shm-size 1m img", "{\"shmSize\":1048576}" },
    { "run --ulimit nofile=1024:2048,nproc=-1 --ulimit host img",
      "{\"ulimits\":[\"nofile=1024:2048\",\"nproc=-1\",\"host\"]}" },
    /* security */
    { "run --privileged --read-only --read-only-tmpfs=false img",
      "{\"privileged\":true,\"readOnly\":true,\"readOnlyTmpfs\":false}" },
    { "run --cap-add net_admin,CAP_SYS_TIME --cap-drop all img",
      "{\"capAdd\":[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"],\"capDrop\":[\"ALL\"]}" },
    { "run --security-opt no-new-privileges --security-opt seccomp=unconfined --security-opt mask=/a:/b --security-opt label=disable img",
      "{\"securityOpts\":[\"no-new-privileges=true\",\"seccomp=unconfined\",\"mask=/a:/b\",\"label=disable\"]}" },
    { "run --security-opt no-new-privileges:false --security-opt label:disable img",
      "{\"securityOpts\":[\"no-new-privileges=false\",\"label=disable\"]}" },
    { "run --security-opt seccomp=./sc.json img", "{\"securityOpts\":[\"seccomp=@/sc.json\"]}" },
    { "run --group-add wheel,10 img", "{\"groups\":[\"wheel\",\"10\"]}" },
    /* process */
    { "run --stop-signal SIGKILL img", "{\"stopSignal\":9}" },
    { "run --stop-signal term img", "{\"stopSignal\":15}" },
    { "run --stop-signal 10 img", "{\"stopSignal\":10}" },
    { "run --stop-signal RTMIN+3 img", "{\"stopSignal\":37}" },
    { "run --init --init-path /bin/sh img", "{\"init\":true,\"initPath\":\"/bin/sh\"}" },
    { "run --oom-score-adj -500 --umask 0077 --tz local img", "{\"oomScoreAdj\":-500,\"umask\":\"0077\",\"timezone\":\"local\"}" },
    { "run --sysctl net.ipv4.ip_forward=1,kernel.msgmax=100 img",
      "{\"sysctls\":{\"net.ipv4.ip_forward\":\"1\",\"kernel.msgmax\":\"100\"}}" },
    /* namespaces and networking */
    { "run --network none img", "{\"namespaces\":{\"network\":\"none\"}}" },
    { "run --net host img", "{\"namespaces\":{\"network\":\"host\"}}" },
    { "run --network container:db img", "{\"namespaces\":{\"network\":\"container:db\"}}" },
    { "run --network ns:/proc/self/ns/net img", "{\"namespaces\":{\"network\":\"ns:/proc/self/ns/net\"}}" },
    { "run --network n1,n2 --network n3:alias=x img", "{\"namespaces\":{\"network\":\"bridge\"}}" },
    { "run --pid host --ipc shareable --uts container:x img",
      "{\"namespaces\":{\"pid\":\"host\",\"ipc\":\"shareable\",\"uts\":\"container:x\"}}" },
    { "run -P --no-hosts img", "{\"publishAll\":true,\"noHosts\":true}" },
    { "run -p 80:80 --network host img", "{\"namespaces\":{\"network\":\"host\"}}" },
    /* lifecycle-only flags leave the spec alone */
    { "run -d --restart on-failure:3 --stop-timeout 5 --timeout 9 --log-driver json-file --log-opt max-size=10k img", "{}" },
};

static char *expand(const char *s)
{
    struct sbuf b = SBUF_INIT;
    for (const char *p = s; *p; p++) {
        if (*p == '@')
            sbuf_add(&b, tmpdir);
        else
            sbuf_addc(&b, *p);
    }
    return sbuf_steal(&b);
}

static void t_ok(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(ok_cases); i++) {
        _cleanup_free_ char *argv = expand(ok_cases[i].argv), *wt = expand(ok_cases[i].want);
        _cleanup_json_ json_t *want = json_loads(wt, 0, NULL);
        _cleanup_berr_ struct berr *err = NULL;
        struct ctropts o;
        int r = parse_line(argv, true, &o, &err);

        CHECK(want != NULL);
        if (r < 0) {
            printf("#   %s\n#     error: %s\n", argv, err ? err->msg : "?");
            CHECK(r == 0);
        } else if (!json_equal(o.ctr, want)) {
            _cleanup_free_ char *got = json_dumps(o.ctr, JSON_COMPACT);
            printf("#   %s\n#     got:  %s\n#     want: %s\n", argv, got, wt);
            CHECK(!"json differs");
        }
        ctropts_free(&o);
    }
}

static const struct { const char *argv, *want; } bad_cases[] = {
    { "run", "requires at least 1 arg(s), only received 0" },
    { "create -d img", "unknown shorthand flag: 'd' in -d" },
    { "create --detach-keys x img", "unknown flag: --detach-keys" },
    { "run --name a\x01" "b img", "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument" },
    { "run --name _x img", "running container create option: names must match" },
    { "run --memory abc img", "invalid value for memory: invalid size: 'abc'" },
    { "run --memory 10x img", "invalid value for memory: invalid size: '10x'" },
    { "run --memory -5 img", "invalid size: '-5'" },
    { "run --memory-swap 10m img", "you should always set a memory limit when using a memoryswap limit, see usage" },
    { "run -m 10m --memory-swap 5m img", "minimum memoryswap limit should be larger than memory limit, see usage" },
    { "run --memory-swap -2 -m 1m img", "invalid value for memory: invalid size: '-2'" },
    { "run --cpus abc img", "invalid argument \"abc\" for \"--cpus\" flag: strconv.ParseFloat: parsing \"abc\": invalid syntax" },
    { "run --cpu-shares x img", "invalid argument \"x\" for \"-c, --cpu-shares\" flag: strconv.ParseUint: parsing \"x\": invalid syntax" },
    { "run --cpuset-cpus abc img", "invalid value abc for cpuset cpus" },
    { "run --cpuset-cpus 0, img", "invalid value 0, for cpuset cpus" },
    { "run --cpuset-cpus 1-0 img", "invalid value 1-0 for cpuset cpus" },
    { "run --pids-limit x img", "strconv.ParseInt: parsing \"x\": invalid syntax" },
    { "run --cpus 1 --cpu-period 50000 img", "--cpu-period and --cpus cannot be set together" },
    { "run --cpu-quota 50000 --cpus 1 img", "--cpu-quota and --cpus cannot be set together" },
    { "run --cpu-period 10 img", "CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)" },
    { "run --cpu-quota 999 img", "CPU cfs quota cannot be less than 1ms (i.e. 1000)" },
    { "run --cpuset-mems x img", "invalid value x for cpuset mems" },
    { "run --memory-swappiness 101 img", "invalid value: 101, valid memory swappiness range is 0-100" },
    { "run --memory-reservation 1x img", "invalid value for memory: invalid size: '1x'" },
    { "run -m 10m --memory-reservation 20m img", "minimum memory limit cannot be less than memory reservation limit, see usage" },
    { "run --blkio-weight x img", "invalid value for blkio-weight: strconv.ParseUint: parsing \"x\": invalid syntax" },
    { "run --blkio-weight 70000 img", "parsing \"70000\": value out of range" },
    { "run --blkio-weight 5 img", "range of blkio weight is from 10 to 1000" },
    { "run --blkio-weight-device /dev/loop0:5 img", "invalid weight for device: /dev/loop0:5" },
    { "run --device-read-bps /dev/loop0 img", "bad format: /dev/loop0" },
    { "run --device-read-bps vda:1m img", "bad format for device path: vda:1m" },
    { "run --device-read-iops /dev/loop0:1k img", "invalid rate for device: /dev/loop0:1k. The correct format is <device-path>:<number>. Number must be a positive integer" },
    { "run --device-write-bps /dev/loop0:x img", "invalid rate for device: /dev/loop0:x. The correct format is <device-path>:<number>[<unit>]" },
    { "run --device-read-bps /dev/null:1m img", "--device-read-bps /dev/null: not a block device" },
    { "run --device-read-bps /dev/nonexistent-x:1m img", "could not parse throttle device at /dev/nonexistent-x: stat /dev/nonexistent-x: no such file or directory" },
    { "run --cgroup-conf x img", "--cgroup-conf must be formatted KEY=VALUE" },
    { "run --device-cgroup-rule x img", "invalid device cgroup rule requires type, major:Minor, and access rules: \"x\"" },
    { "run --device-cgroup-rule z\x01" "1:3\x01r img", "invalid device type in device-access-add: z" },
    { "run --device-cgroup-rule c\x01" "1:3\x01q img", "invalid device access in device-access-add: q" },
    { "run --device-cgroup-rule c\x01x:3\x01r img", "strconv.ParseUint: parsing \"x\": invalid syntax" },
    { "run --cgroupns foo img", "unrecognized namespace mode foo passed" },
    { "run --cgroups foo img", "running container create option: invalid cgroup mode \"foo\": invalid argument" },
    { "run --shm-size x img", "unable to translate --shm-size: invalid size: 'x'" },
    { "run --ulimit nofile=abc img", "ulimit option \"nofile=abc\" requires name=SOFT:HARD, failed to be parsed: strconv.ParseInt: parsing \"abc\": invalid syntax" },
    { "run --ulimit foo=1 img", "failed to be parsed: invalid ulimit type: foo" },
    { "run --ulimit nofile=10:5 img", "ulimit soft limit must be less than or equal to hard limit: 10 > 5" },
    { "run --ulimit nofile img", "invalid ulimit argument: nofile" },
    { "run --ulimit nofile=5:10:15 img", "too many limit value arguments - 5:10:15, can only have up to two, `soft[:hard]`" },
    { "run --stop-signal FOO img", "invalid signal: FOO" },
    { "run --stop-signal 0 img", "invalid signal: 0" },
    { "run --stop-signal 99 img", "valid signals are 1 through 64" },
    { "run --stop-timeout -1 img", "invalid argument \"-1\" for \"--stop-timeout\" flag: strconv.ParseUint" },
    { "run --restart foo img", "running container create option: \"foo\" is not a valid restart policy: invalid argument" },
    { "run --restart on-failure:x img", "parsing restart policy retry count: strconv.Atoi: parsing \"x\": invalid syntax" },
    { "run --restart on-failure:-3 img", "must specify restart policy retry count as a number greater than 0" },
    { "run --restart always:3 img", "restart policy retries can only be specified with on-failure restart policy" },
    { "run --restart always --rm img", "the --rm option conflicts with --restart, when the restartPolicy is not \"\" and \"no\"" },
    { "run --log-driver foo img", "running container create option: invalid log driver: invalid argument" },
    { "run --log-opt foo img", "invalid log option \"foo\"" },
    { "run --log-opt max-size=abc img", "invalid size: 'abc'" },
    { "run --pull foo img", "unsupported pull policy \"foo\"" },
    { "run --pull NEVER img", "unsupported pull policy \"NEVER\"" },
    { "run -v /nonexistent-ctropts:/x img", "statfs /nonexistent-ctropts: no such file or directory" },
    { "run -v @/hd:/x:foo img", "invalid option type \"foo\"" },
    { "run -v @/hd:/x:ro,rw img", "invalid options \"ro, rw\", can only specify 1 'rw' or 'ro' option" },
    { "run -v @/hd:/x:z,Z img", "can only specify 1 'z', 'Z', or 'O' option" },
    { "run -v @/hd:/x:shared,slave img", "can only specify 1 '[r]shared', '[r]private', '[r]slave' or '[r]unbindable' option" },
    { "run -v @/hd:/x:exec,noexec img", "can only specify 1 'noexec' or 'exec' option" },
    { "run -v @/hd:/x:bind,rbind img", "can only specify 1 '[r]bind' option" },
    { "run -v @/hd:/x:O,ro img", "can't use 'O' with other options" },
    { "run -v @/hd:/x:O,upperdir=/u img", "must set both `upperdir` and `workdir`" },
    { "run -v vol:/x:O,Z img", "can only specify 1 'z', 'Z', or 'O' option" },
    { "run -v vol:/x:copy,nocopy img", "can only specify 1 'copy' or 'nocopy' option" },
    { "run -v vol:/x:U,U img", "can only specify 1 'U' option" },
    { "run -v @/hd:x img", "invalid container path \"x\", must be an absolute path" },
    { "run -v @/hd:/x:ro:z img", "incorrect volume format, should be [host-dir:]ctr-dir[:option]" },
    { "run -v :/x img", "host directory cannot be empty" },
    { "run -v vol:/x -v other:/x img", "/x: duplicate mount destination" },
    { "run --volumes-from c:foo img", "invalid option \"foo\" specified - volumes from another container can only use z,ro,rw options" },
    { "run --volumes-from c:ro,rw img", "cannot set ro or rw options more than once" },
    { "run --volumes-from c:z,z img", "cannot set :z more than once in mount options" },
    { "run --image-volume foo img", "invalid image volume mode \"foo\" required value: bind, tmpfs, ignore" },
    { "run -v @/hd:/x -v /tmp:/x img", "/x: duplicate mount destination" },
    { "run --tmpfs /x -v /tmp:/x/ img", "/x: duplicate mount destination" },
    { "run --mount type=foo,dst=/x img", "invalid filesystem type \"foo\"" },
    { "run --mount src=/tmp,dst=/x img", "incorrect mount format: should be --mount type=<bind|tmpfs|volume>" },
    { "run --mount type=bind,src=/tmp img", "must set volume destination" },
    { "run --mount type=bind,src=/tmp,dst=/x,foo img", "foo: invalid mount option" },
    { "run --mount type=bind,src=/tmp,dst=/x,tmpfs-size=10 img", "tmpfs-size: invalid mount option" },
    { "run --mount type=bind,src=/tmp,dst=/x,ro=maybe img", "'readonly', 'ro', or 'rw' must be set to true or false, instead received \"maybe\"" },
    { "run --mount type=bind,src=/tmp,dst=/x,ro,rw img", "cannot pass 'readonly', 'ro', or 'rw' options more than once" },
    { "run --mount type=bind,src=/tmp,dst=/x,bind-propagation=foo img", "invalid option type \"foo\"" },
    { "run --mount type=tmpfs,src=/a,dst=/x img", "source is not supported with tmpfs mounts" },
    { "run --mount type=tmpfs,dst=/x,tmpcopyup,notmpcopyup img", "cannot pass 'tmpcopyup' and 'notmpcopyup' options more than once" },
    { "run --mount type=volume,src=v,dst=/x,foo img", "foo: invalid mount option" },
    { "run --mount type=volume,src=v,dst=/x,volume-nocopy img", "volume-nocopy: invalid mount option" },
    { "run --mount type=volume,dst=/x,nocopy img", "nocopy: invalid mount option" },
    { "run --mount type=volume,src=v,dst=/x,ro,rw img", "cannot pass 'readonly', 'ro', or 'rw' options more than once" },
    { "run --mount type=volume,src=v,dst=/x,volume-label=a img", "the --volume-label option is not presently implemented" },
    { "run --mount type=volume,src=v,dst=/x,volume-opt=a img", "cannot parse driver opts: invalid mount option" },
    { "run --mount type=volume,src=v img", "must set volume destination" },
    { "run --mount type=bind,src=/tmp,dst=/x,U,chown img", "cannot pass 'U' or 'chown' option more than once" },
    { "run --mount type=bind,src=/tmp,dst=/x,U=maybe img", "'U' or 'chown' must be set to true or false" },
    { "run --mount type=bind,src=/tmp,dst=/x,nosuid,suid img", "cannot pass 'nosuid' and 'suid' options more than once" },
    { "run --mount type=bind,src=/tmp,dst=/x,relabel=foo img", "relabel mount option must be 'private' or 'shared': invalid mount option" },
    { "run --mount type=devpts,dst=/x,foo=1 img", "foo: invalid mount option" },
    { "run --mount type=image,dst=/x img", "must set source and destination for image volume" },
    { "run --mount type=image,src=i,dst=/x,rw=yes img", "invalid rw value \"yes\": invalid mount option" },
    { "run --mount type=glob,src=i,dst=/x img", "invalid filesystem type \"glob\"" },
    { "run --tmpfs x img", "invalid container path \"x\", must be an absolute path" },
    { "run --tmpfs /x:foo img", "unknown mount option \"foo\": invalid mount option" },
    { "run --security-opt foo img", "invalid --security-opt 1: \"foo\"" },
    { "run --security-opt seccomp img", "invalid --security-opt 1: \"seccomp\"" },
    { "run --security-opt no-new-privileges=maybe img", "invalid --security-opt 2: \"no-new-privileges=maybe\"" },
    { "run --security-opt seccomp=/nonexist.json img", "opening seccomp profile failed: open /nonexist.json: no such file or directory" },
    { "run --cap-add foo img", "\"CAP_FOO\": unknown capability" },
    { "run --network n1 --network host img", "can only set extra network names, selected mode host conflicts with bridge: invalid argument" },
    { "run --network host --network n1 img", "cannot set multiple networks without bridge network mode, selected mode host: invalid argument" },
    { "run --network n1:foo=bar img", "invalid option for network n1: unknown bridge network option: foo" },
    { "run --network ns:/nonexist img", "cannot find specified network namespace path: stat /nonexist: no such file or directory" },
    { "run --network slirp4netns --ip 10.1.2.3 img", "--ip can only be set when the network mode is bridge" },
    { "run --ip foo img", "\"foo\" is not an ip address" },
    { "run --ip 10.88.0.5 --network host img", "--ip can only be set when the network mode is bridge: invalid argument" },
    { "run --network n1 --network n2 --ip 10.89.0.5 img", "--ip can only be set for a single network: invalid argument" },
    { "run --network-alias x --network none img", "--network-alias can only be set when the network mode is bridge: invalid argument" },
    { "run --mac-address foo img", "address foo: invalid MAC address" },
    { "run --expose foo img", "invalid range format for --expose: foo: strconv.ParseUint: parsing \"foo\": invalid syntax" },
    { "run --expose 80-79 img", "invalid range format for --expose: 80-79: Invalid range specified for the Port: 80-79" },
    { "run --expose 80/foo img", "validating protocols for exposed port 80: unrecognized protocol \"foo\" in port mapping" },
    { "run --expose 0 img", "port numbers must be between 1 and 65535 (inclusive), got 0" },
    { "run --expose 70000 img", "parsing \"70000\": value out of range" },
    { "run -p 8080:80/foo img", "unrecognized protocol \"foo\" in port mapping" },
    { "run --dns foo img", "foo is not an ip address" },
    { "run --dns 1.1.1.1 --network none img", "conflicting options: dns and the network mode: none" },
    { "run --add-host foo img", "bad format for add-host: \"foo\"" },
    { "run --add-host foo:bar img", "invalid IP address in add-host: \"bar\"" },
    { "run --no-hosts --add-host foo:1.2.3.4 img", "--no-hosts and --add-host cannot be set together" },
    { "run --sysctl foo img", "foo is invalid, sysctl values must be in the form of KEY=VALUE" },
    { "run --sysctl kernel.foo=1 img", "sysctl 'kernel.foo' is not allowed" },
    { "run --sysctl net.ipv4.ip_forward=1 --network host img", "sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host: invalid argument" },
    { "run --oom-score-adj x img", "invalid argument \"x\" for \"--oom-score-adj\" flag: strconv.ParseInt" },
    { "run --oom-score-adj 5000 img", "must be between -1000 and 1000" },
    { "run --tz Foo/Bar img", "running container create option: stat /usr/share/zoneinfo/Foo/Bar: no such file or directory" },
    { "run --umask 999 img", "running container create option: invalid umask string 999: invalid argument" },
    { "run --uts foo img", "unrecognized namespace mode foo passed" },
    { "run --pid ns:/nonex img", "cannot find specified PID namespace path: stat /nonex: no such file or directory" },
    { "run --hostname foo --uts host img", "cannot set hostname when running in the host UTS namespace" },
    { "run --device /nonexist img", "stat /nonexist: no such file or directory" },
    { "run --device /dev/null:rel img", "invalid device mode: rel" },
    { "run --device /dev/null:/dev/x:rw:q img", "invalid device specification: /dev/null:/dev/x:rw:q" },
    { "run -e =x img", "invalid environment variable: \"=x\"" },
    { "run --env-file /nonexist img", "parsing env file \"/nonexist\": open /nonexist: no such file or directory" },
    { "run --env-file @/badenv img", "parsing env file \"@/badenv\": invalid environment variable: \"=1\"" },
    { "run --label-file /nonexist img", "unable to process labels: open /nonexist: no such file or directory" },
    { "run -l =x img", "unable to process labels: invalid label format: \"=x\"" },
    { "run --annotation foo img", "annotations must be formatted KEY=VALUE" },
    { "run -a foo img", "invalid stream \"foo\" for --attach - must be one of stdin, stdout, or stderr: invalid argument" },
    { "run --detach-keys ctrl- img", "invalid detach keys: Unknown character: 'ctrl-'" },
    { "run --replace img", "cannot replace container without --name being set" },
    { "run --cidfile @/exists img", "container id file exists. Ensure another container is not using it or delete @/exists" },
    { "run --cidfile /nonexist/cid img", "opening cidfile /nonexist/cid" },
    { "run --rootfs /nonexist", "running container create option: stat /nonexist: no such file or directory" },
    { "run --init --init-path /nonexist img", "container-init binary not found on the host: stat /nonexist: no such file or directory" },
    { "run --rm=maybe img", "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool" },
};

static void t_bad(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        _cleanup_free_ char *argv = expand(bad_cases[i].argv), *want = expand(bad_cases[i].want);
        _cleanup_berr_ struct berr *err = NULL;
        struct ctropts o;
        bool is_run = str_has_prefix(argv, "run");
        int r = parse_line(argv, is_run, &o, &err);

        if (r == 0 || !err || !strstr(err->msg, want) || err->exit_code != 125) {
            printf("#   %s\n#     got:  %s (r=%d)\n#     want: %s\n", argv,
                   err ? err->msg : "no error", r, want);
            CHECK(!"error differs");
        }
        ctropts_free(&o);
    }
}

/* The fields of struct ctropts the spec does not carry. */
static void t_struct(void)
{
    _cleanup_berr_ struct berr *err = NULL;
    _cleanup_free_ char *line = expand(
        "run -d --name web --replace -q --pull never --detach-keys ctrl-a,x --sig-proxy=false "
        "--cidfile @/cid --log-driver json-file --log-opt max-size=10k,path=/tmp/l,tag=t "
        "--restart on-failure:3 --stop-timeout 5 --timeout 9 --cgroup-parent /p "
        "--network n1:alias=a,ip=10.89.0.2,mac=aa:bb:cc:dd:ee:ff,interface_name=eth1 "
        "-p 8080:80,127.0.0.1::81/udp --expose 90-95,22/udp --dns 1.1.1.1 --dns-search a.b "
        "--dns-option ndots:2 --add-host h:1.2.3.4 --rmi img ls -l");
    struct ctropts o;

    CHECK_INT(parse_line(line, true, &o, &err), 0);
    if (err)
        printf("#   %s\n", err->msg);
    CHECK_STR(o.image, "img");
    CHECK_STR(o.name, "web");
    CHECK(o.detach && o.replace && o.quiet && !o.sig_proxy && o.rmi);
    CHECK(!o.attach_stdin && !o.attach_stdout && !o.attach_stderr);
    CHECK_INT(o.pull, CTR_PULL_NEVER);
    CHECK_STR(o.detach_keys, "ctrl-a,x");
    CHECK(o.cidfile && str_has_suffix(o.cidfile, "/cid"));
    CHECK_STR(o.log_driver, "json-file");   /* recorded as given (podman's inspect) */
    CHECK_INT(o.log_max_size, 10000);      /* podman's FromHumanSize: 1000s */
    CHECK_STR(o.log_path, "/tmp/l");
    CHECK_STR(o.log_tag, "t");
    CHECK_INT(o.restart, CTR_RESTART_ON_FAILURE);
    CHECK_INT(o.restart_retries, 3);
    CHECK(o.stop_timeout_set);
    CHECK_INT(o.stop_timeout, 5);
    CHECK_INT(o.timeout, 9);
    CHECK_STR(o.cgroup_parent, "/p");
    CHECK_INT(o.nnetworks, 1);
    if (o.nnetworks == 1) {
        CHECK_STR(o.networks[0].name, "n1");
        CHECK(o.networks[0].aliases && str_eq(o.networks[0].aliases[0], "a"));
        CHECK_STR(o.networks[0].ip, "10.89.0.2");
        CHECK_STR(o.networks[0].mac, "aa:bb:cc:dd:ee:ff");
        CHECK_STR(o.networks[0].interface_name, "eth1");
    }
    CHECK_INT(strv_len(o.ports), 2);
    CHECK_STR(o.ports ? o.ports[1] : NULL, "127.0.0.1::81/udp");
    CHECK_INT(strv_len(o.expose), 2);
    CHECK_STR(o.expose ? o.expose[0] : NULL, "90-95/tcp");
    CHECK_STR(o.expose ? o.expose[1] : NULL, "22/udp");
    CHECK_STR(o.dns ? o.dns[0] : NULL, "1.1.1.1");
    CHECK_STR(o.dns_search ? o.dns_search[0] : NULL, "a.b");
    CHECK_STR(o.dns_options ? o.dns_options[0] : NULL, "ndots:2");
    CHECK_STR(o.add_hosts ? o.add_hosts[0] : NULL, "h:1.2.3.4");

    struct ctr_create_params p;
    _cleanup_json_ json_t *nets = json_loads("[{\"name\":\"n1\",\"aliases\":[\"a\"],\"ip\":\"10.89.0.2\","
                                             "\"mac\":\"aa:bb:cc:dd:ee:ff\",\"interface_name\":\"eth1\"}]", 0, NULL);
    _cleanup_json_ json_t *dns = json_loads("{\"servers\":[\"1.1.1.1\"],\"search\":[\"a.b\"],\"options\":[\"ndots:2\"]}", 0, NULL);
    CHECK_INT(ctropts_create_params(&o, &p, &err), 0);
    CHECK(p.spec == o.ctr);
    CHECK_STR(p.name, "web");
    CHECK_STR(p.image, "img");
    CHECK(p.rootfs == NULL);
    CHECK_STR(p.restart_policy, "on-failure");
    CHECK_INT(p.restart_retries, 3);
    CHECK_INT(p.stop_timeout, 5);
    CHECK_INT(p.log_size_max, 10000);
    CHECK(json_equal(p.networks, nets));
    CHECK(json_equal(p.dns, dns));
    CHECK_INT(json_array_size(p.port_mappings), 2);
    CHECK_INT(json_array_size(p.add_hosts), 1);
    ctropts_free(&o);
}

static void t_attach_and_networks(void)
{
    _cleanup_berr_ struct berr *err = NULL;
    struct ctropts o;

    CHECK_INT(parse_line("run -i img", true, &o, &err), 0);
    CHECK(o.attach_stdin && o.attach_stdout && o.attach_stderr && o.sig_proxy);
    CHECK_INT(o.log_max_size, -1);
    CHECK(o.log_driver == NULL && o.pull == CTR_PULL_MISSING && o.nnetworks == 0);
    ctropts_free(&o);
    CHECK_INT(parse_line("run -a STDOUT -a stderr img", true, &o, &err), 0);
    CHECK(!o.attach_stdin && o.attach_stdout && o.attach_stderr && o.attach_given);
    ctropts_free(&o);
    CHECK_INT(parse_line("create -i img", false, &o, &err), 0);
    CHECK(!o.attach_stdin && !o.attach_stdout && !o.attach_stderr);
    ctropts_free(&o);
    CHECK_INT(parse_line("run --network n1,n2 --network n3:alias=x,ip=10.0.0.3 img", true, &o, &err), 0);
    CHECK_INT(o.nnetworks, 3);
    if (o.nnetworks == 3) {
        CHECK_STR(o.networks[0].name, "n1");
        CHECK_STR(o.networks[1].name, "n2");
        CHECK_STR(o.networks[2].name, "n3");
        CHECK_STR(o.networks[2].ip, "10.0.0.3");
    }
    ctropts_free(&o);
    CHECK_INT(parse_line("run --ip 10.88.0.9 --network-alias a,b img", true, &o, &err), 0);
    CHECK_INT(o.nnetworks, 1);
    if (o.nnetworks == 1) {
        CHECK(o.networks[0].name == NULL);
        CHECK_STR(o.networks[0].ip, "10.88.0.9");
        CHECK_INT(strv_len(o.networks[0].aliases), 2);
    }
    ctropts_free(&o);
    CHECK_INT(parse_line("run --network bridge:ip=10.88.0.9 img", true, &o, &err), 0);
    CHECK(o.nnetworks == 1 && o.networks[0].name == NULL && str_eq(o.networks[0].ip, "10.88.0.9"));
    ctropts_free(&o);
    /* --rootfs: the operand is a directory, made absolute */
    CHECK_INT(parse_line("run --rootfs ./hd true", true, &o, &err), 0);
    CHECK(o.rootfs && o.image && o.image[0] == '/' && str_has_suffix(o.image, "/hd"));
    ctropts_free(&o);
    /* global flags after the command name still work */
    CHECK_INT(parse_line("run --root /r img", true, &o, &err), 0);
    CHECK_STR(g.root, "/r");
    ctropts_free(&o);
    /* --help prints (stdout muted here) and returns 0 */
    fflush(stdout);
    int keep = dup(1), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    dup2(null, 1);
    CHECK_INT(parse_line("run --help", true, &o, &err), 0);
    fflush(stdout);
    dup2(keep, 1);
    close(keep);
    close(null);
    CHECK(o.help);
    ctropts_free(&o);
}

static void t_size(void)
{
    static const struct { const char *in; long long want; } c[] = {
        { "0", 0 }, { "1000", 1000 }, { "5b", 5 }, { "1k", 1024 }, { "1K", 1024 },
        { "10KB", 10240 }, { "10 kib", 10240 }, { "1.5g", 1610612736 }, { "2m", 2097152 },
        { "1t", 1099511627776LL }, { "1p", 1125899906842624LL }, { "3i", 3 },
        { "", -1 }, { "x", -1 }, { "-5", -1 }, { "1.2.3k", -1 }, { "10x", -1 }, { "1  k", -1 },
        { ".5k", -1 }, { "5kk", -1 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
        _cleanup_berr_ struct berr *err = NULL;
        long long v = -1;
        int r = ctropts_parse_size(c[i].in, &v, &err);
        if (c[i].want < 0) {
            CHECK(r < 0);
        } else {
            CHECK(r == 0);
            if (v != c[i].want)
                printf("#   size %s: got %lld want %lld\n", c[i].in, v, c[i].want);
            CHECK(v == c[i].want);
        }
    }
    CHECK_INT(ctropts_parse_signal("SIGHUP"), 1);
    CHECK_INT(ctropts_parse_signal("rtmax-1"), 63);
    CHECK_INT(ctropts_parse_signal("65"), -1);
    CHECK_INT(ctropts_parse_signal("NOPE"), -1);
}

static void t_help_table(void)
{
    /* every option has help; run has exactly six options create lacks */
    size_t nc = 0, nr = 0;
    for (const struct cmd_opt *o = ctr_create_opts; o->name; o++, nc++)
        CHECK(o->help && *o->help);
    for (const struct cmd_opt *o = ctr_run_opts; o->name; o++, nr++)
        CHECK(o->help && *o->help);
    CHECK_INT(nr - nc, 6);
    CHECK(opt_find_long(ctr_create_opts, "detach") == NULL);
    CHECK(opt_find_long(ctr_create_opts, "passwd") == NULL);
    CHECK(opt_find_long(ctr_run_opts, "passwd") != NULL);
    CHECK(opt_find_long(ctr_run_opts, "sig-proxy") != NULL);
}

static void write_file(const char *name, const char *text)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", tmpdir, name);
    FILE *f = fopen(p, "we");
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    _cleanup_free_ char *hd = NULL, *cmd = NULL;

    mkdir("/tmp/ctropts-ut", 0755);
    if (!mkdtemp(tmpdir))
        return 1;
    hd = str_fmt("%s/hd", tmpdir);
    mkdir(hd, 0755);
    write_file("env", "# comment\n\nA=1\n  B = 2 \nCTROPTS_SET\nCTROPTS_UNSET\nC=\"q\"\n");
    write_file("badenv", "A=1\n =1\n");
    write_file("labels", "l1=v1\n#x\nCTROPTS_UNSET\n\n");
    write_file("sc.json", "{}");
    write_file("exists", "");
    setenv("CTROPTS_SET", "hostval", 1);
    unsetenv("CTROPTS_UNSET");
    if (chdir(tmpdir) < 0)
        return 1;
    UNIT_RUN(t_ok);
    UNIT_RUN(t_bad);
    UNIT_RUN(t_struct);
    UNIT_RUN(t_attach_and_networks);
    UNIT_RUN(t_size);
    UNIT_RUN(t_help_table);
    cmd = str_fmt("rm -rf %s", tmpdir);
    if (cmd && system(cmd) != 0)
        printf("# could not remove %s\n", tmpdir);
    (void) rmdir("/tmp/ctropts-ut");    /* its parent, unless another run's is in it */
    return unit_done();
}
