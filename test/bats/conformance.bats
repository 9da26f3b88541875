# test/bats/conformance.bats: podman 4.3.1's flags, output and exit codes
# on the commands berth has (issue 19), each checked against the
# installed podman; the expected texts are podman's.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "a warning podman prints as a bare line is a bare line" {
    run -0 --separate-stderr b create --network host -p 8080:80 $IMG true
    [ "$stderr" = "Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use" ]
}
