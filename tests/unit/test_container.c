/*
 * test_container.c - container and pod ids from cgroup paths, on the layouts
 * real runtimes produce (docker, containerd with and without Kubernetes,
 * CRI-O, podman, nerdctl/k3s, each with the cgroupfs and systemd drivers),
 * on host paths that must stay host paths, and on the path tails the kernel
 * sends (its last components, without a leading slash). Then interning:
 * one object per path, reference counts, and the cache being dropped.
 */
#include "test_util.h"

#include <stdbool.h>

#include "container.h"

/* container ids: 64 hex digits, as the runtimes make them */
#define ID_A "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
#define ID_B "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define ID_C "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6"
#define ID_D "18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4"
#define ID_E "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea"
#define ID_F "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"
#define ID_G "cd0aa9856147b6c5b4ff2b7dfee5da20aa38253099ef1b4a64aced233c9afe29"

/* a pod UID as the kubelet writes it with the cgroupfs driver, and with systemd's */
#define POD     "fa215d88-bd4e-5759-92ab-89ddaf983762"
#define POD_SD  "fa215d88_bd4e_5759_92ab_89ddaf983762"

/* the sandbox this test suite runs in names its cgroups like this */
#define SANDBOX_ID "9dd4e461268c8034f5c8564e155c67a6"

struct parse_case {
	const char *path;
	const char *id;        /* NULL: a host path */
	const char *runtime;
	const char *pod_uid;   /* "" when the path carries none */
};

static const struct parse_case cases[] = {
	/* docker */
	{ "/docker/" ID_A, ID_A, "docker", "" },
	{ "/system.slice/docker-" ID_A ".scope", ID_A, "docker", "" },
	/* a sub-cgroup inside a container (systemd running in it) */
	{ "/docker/" ID_A "/init.scope", ID_A, "docker", "" },
	{ "/system.slice/docker-" ID_A ".scope/system.slice/cron.service", ID_A, "docker", "" },
	/* docker in docker: the innermost container */
	{ "/docker/" ID_A "/docker/" ID_G, ID_G, "docker", "" },

	/* containerd CRI, cgroupfs driver: every QoS class */
	{ "/kubepods/besteffort/pod" POD "/" ID_B, ID_B, "containerd", POD },
	{ "/kubepods/burstable/pod" POD "/" ID_B, ID_B, "containerd", POD },
	{ "/kubepods/pod" POD "/" ID_B, ID_B, "containerd", POD },
	/* containerd CRI, systemd driver: the UID's dashes written as underscores */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_SD ".slice/cri-containerd-" ID_C
	  ".scope", ID_C, "containerd", POD },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_SD ".slice/cri-containerd-" ID_C
	  ".scope", ID_C, "containerd", POD },
	{ "/kubepods.slice/kubepods-pod" POD_SD ".slice/cri-containerd-" ID_C ".scope", ID_C, "containerd", POD },

	/* CRI-O; its conmon monitor has a scope of its own that is not the container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_SD ".slice/crio-" ID_D ".scope",
	  ID_D, "cri-o", POD },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_SD ".slice/crio-conmon-" ID_D
	  ".scope", NULL, NULL, "" },
	{ "/kubepods/besteffort/pod" POD "/crio-" ID_D, ID_D, "cri-o", POD },

	/* podman; libpod-conmon is its monitor */
	{ "/machine.slice/libpod-" ID_E ".scope", ID_E, "podman", "" },
	{ "/machine.slice/libpod-conmon-" ID_E ".scope", NULL, NULL, "" },
	{ "/libpod_parent/libpod-" ID_E, ID_E, "podman", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID_E ".scope", ID_E, "podman", "" },

	/* containerd without Kubernetes: nerdctl, k3s's ctr, the default namespace */
	{ "/default/" ID_F, ID_F, "containerd", "" },
	{ "/system.slice/nerdctl-" ID_F ".scope", ID_F, "containerd", "" },

	/* host paths */
	{ "/", NULL, NULL, "" },
	{ "", NULL, NULL, "" },
	{ "/init.scope", NULL, NULL, "" },
	{ "/user.slice/user-1000.slice/session-3.scope", NULL, NULL, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service", NULL, NULL, "" },
	{ "/system.slice/sshd.service", NULL, NULL, "" },
	{ "/system.slice/docker.service", NULL, NULL, "" },
	{ "/system.slice/containerd.service", NULL, NULL, "" },
	{ "/process_api/" SANDBOX_ID, NULL, NULL, "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_SD ".slice", NULL, NULL, "" },
	{ "/kubepods/besteffort/pod" POD, NULL, NULL, "" },
	/* almost an id: one digit short or long, or not hex */
	{ "/docker/" "a" ID_A, NULL, NULL, "" },
	{ "/docker/" ID_A "a", NULL, NULL, "" },
	{ "/docker/" ID_A "z", NULL, NULL, "" },
	{ "/system.slice/docker-" ID_A ".service", NULL, NULL, "" },

	/* tails without a leading slash (the kernel sends the last components) */
	{ "kubepods/besteffort/pod" POD "/" ID_B, ID_B, "containerd", POD },
	{ "besteffort/pod" POD "/" ID_B, ID_B, "containerd", POD },
	{ "pod" POD "/" ID_B, ID_B, "containerd", POD },
	{ "kubepods-burstable.slice/kubepods-burstable-pod" POD_SD ".slice/cri-containerd-" ID_C ".scope", ID_C,
	  "containerd", POD },
	{ "kubepods-burstable-pod" POD_SD ".slice/crio-" ID_D ".scope", ID_D, "cri-o", POD },
	{ "kubepods-burstable-pod" POD_SD ".slice/crio-conmon-" ID_D ".scope", NULL, NULL, "" },
	{ "docker-" ID_A ".scope", ID_A, "docker", "" },
	{ "docker/" ID_A, ID_A, "docker", "" },
	{ "libpod-" ID_E ".scope", ID_E, "podman", "" },
	{ "user.slice/user-1000.slice/session-3.scope", NULL, NULL, "" },
	{ "process_api/" SANDBOX_ID, NULL, NULL, "" },

	/* a pod component that is not a whole UID gives no pod UID */
	{ "/kubepods/besteffort/pod" "fa215d88-bd4e" "/" ID_B, ID_B, "containerd", "" },
	{ "/kubepods/besteffort/pod" POD "x/" ID_B, ID_B, "containerd", "" },
};

static void parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		char id[128], pod[128];
		const char *rt = "unset";
		bool got;

		memset(id, 'X', sizeof(id));
		memset(pod, 'X', sizeof(pod));
		got = container_parse(c->path, id, &rt, pod);
		if (!c->id) {
			if (got)
				fail_msg("case %zu \"%s\": want a host path, got id %s", i, c->path, id);
			continue;
		}
		if (!got)
			fail_msg("case %zu \"%s\": want container %s, got host", i, c->path, c->id);
		if (strcmp(id, c->id) != 0)
			fail_msg("case %zu \"%s\": id %s, want %s", i, c->path, id, c->id);
		if (!rt || strcmp(rt, c->runtime) != 0)
			fail_msg("case %zu \"%s\": runtime %s, want %s", i, c->path, rt ? rt : "(null)", c->runtime);
		if (strcmp(pod, c->pod_uid) != 0)
			fail_msg("case %zu \"%s\": pod \"%s\", want \"%s\"", i, c->path, pod, c->pod_uid);
	}
}

/* container_get gives the same answers as container_parse, as an object */
static void get_fills_the_object(void **state)
{
	struct container *c;

	(void)state;
	c = container_get("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_SD
			  ".slice/cri-containerd-" ID_C ".scope");
	assert_non_null(c);
	assert_string_equal(c->id, ID_C);
	assert_string_equal(c->short_id, "2e7d2c03a950");
	assert_string_equal(c->runtime, "containerd");
	assert_non_null(c->pod_uid);
	assert_string_equal(c->pod_uid, POD);
	container_unref(c);

	c = container_get("/docker/" ID_A);
	assert_non_null(c);
	assert_string_equal(c->short_id, "ca978112ca1b");
	assert_string_equal(c->runtime, "docker");
	assert_null(c->pod_uid);
	container_unref(c);

	assert_null(container_get("/system.slice/sshd.service"));
	assert_null(container_get("/"));
	assert_null(container_get(""));
	/* a host answer is cached too, and stays a host answer */
	assert_null(container_get("/system.slice/sshd.service"));
	container_cache_clear();
}

/* one object per path; each get is a reference; the cache holds one more */
static void interning_and_refcounts(void **state)
{
	const char *path = "/system.slice/docker-" ID_A ".scope";
	struct container *a, *b, *other;

	(void)state;
	a = container_get(path);
	assert_non_null(a);
	assert_int_equal(a->refs, 2);  /* ours and the cache's */
	b = container_get(path);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refs, 3);
	assert_ptr_equal(container_ref(a), a);
	assert_int_equal(a->refs, 4);
	container_unref(a);
	container_unref(b);
	assert_int_equal(a->refs, 2);

	/* another path is another object, even for the same container */
	other = container_get("/docker/" ID_A);
	assert_non_null(other);
	assert_ptr_not_equal(other, a);
	assert_string_equal(other->id, a->id);
	container_unref(other);

	/* references and unreferences of NULL (the host) are no-ops */
	assert_null(container_ref(NULL));
	container_unref(NULL);

	/* clearing drops the cache's references; ours stays valid */
	container_cache_clear();
	assert_int_equal(a->refs, 1);
	assert_string_equal(a->id, ID_A);
	/* the path is parsed again into a new object */
	b = container_get(path);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(b->refs, 2);
	assert_int_equal(a->refs, 1);
	container_unref(a);
	container_unref(b);
	container_cache_clear();
	/* clearing an empty cache is fine */
	container_cache_clear();
}

/* far more distinct paths than the cache keeps: every answer stays right */
static void many_paths(void **state)
{
	enum { N = 10000 };
	static const char hex[] = "0123456789abcdef";

	(void)state;
	for (unsigned i = 0; i < N; i++) {
		char id[65], path[128];
		struct container *c, *again;

		for (int k = 0; k < 64; k++)
			id[k] = hex[(i >> (4 * (k % 8))) & 15];
		id[64] = 0;
		snprintf(path, sizeof(path), "/docker/%s", id);
		c = container_get(path);
		assert_non_null(c);
		assert_string_equal(c->id, id);
		again = container_get(path);
		assert_ptr_equal(c, again);
		container_unref(again);
		container_unref(c);
		snprintf(path, sizeof(path), "/system.slice/unit-%u.service", i);
		assert_null(container_get(path));
	}
	container_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(get_fills_the_object),
		cmocka_unit_test(interning_and_refcounts),
		cmocka_unit_test(many_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
