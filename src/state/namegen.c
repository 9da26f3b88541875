/*
 * state/namegen.c: generated names, "<adjective>_<surname>", the docker
 * style that podman users know. The two lists are our own: pleasant
 * adjectives, and surnames of notable scientists and engineers. Every
 * word is lower-case a-z, so every result passes state_name_valid().
 *
 * A name is offered only when names/<name> does not exist (a dangling
 * reservation counts as taken). Offering is not reserving: the caller
 * reserves it and, on BK_EXISTS (a racing create took it), asks again.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/str.h"

static const char *const adjectives[] = {
    "agile", "amber", "amiable", "ancient", "ardent", "artful", "astute", "azure",
    "balanced", "blissful", "bold", "brave", "breezy", "bright", "brisk", "buoyant",
    "calm", "candid", "careful", "cheerful", "civic", "clever", "cosmic", "courtly",
    "crisp", "curious", "daring", "dapper", "deft", "devoted", "diligent", "dreamy",
    "eager", "earnest", "electric", "elegant", "epic", "fearless", "fervent", "festive",
    "fluent", "frank", "friendly", "gallant", "gentle", "gifted", "glad", "golden",
    "graceful", "grand", "hardy", "hearty", "honest", "hopeful", "humble", "jolly",
    "jovial", "keen", "kind", "lively", "loyal", "lucid", "lucky", "luminous",
    "mellow", "merry", "mighty", "modest", "neat", "nimble", "noble", "patient",
    "peaceful", "placid", "plucky", "polite", "proud", "quick", "quiet", "radiant",
    "rapid", "ready", "robust", "rosy", "rustic", "serene", "sharp", "shiny",
    "silent", "sincere", "sleek", "snappy", "solid", "spry", "steady", "stoic",
    "sturdy", "sunny", "swift", "tender", "tidy", "tranquil", "trusty", "upbeat",
    "valiant", "vivid", "warm", "wise", "witty", "zealous", "zesty",
};

static const char *const surnames[] = {
    "abel", "adleman", "agnesi", "aiken", "alhazen", "allen", "ampere", "anning",
    "apgar", "archimedes", "aristarchus", "arrhenius", "avogadro", "babbage", "backus",
    "baird", "banach", "banneker", "bardeen", "bartik", "bassi", "becquerel", "bell",
    "benz", "bernoulli", "bessel", "bhabha", "blackburn", "blackwell", "bohr",
    "boltzmann", "boole", "born", "bose", "boyle", "bragg", "brahe", "brattain",
    "brunel", "burnell", "cajal", "cantor", "carnot", "carson", "carver", "cauchy",
    "cavendish", "celsius", "cerf", "chadwick", "chandrasekhar", "chebyshev", "church",
    "clarke", "clausius", "conway", "copernicus", "cormack", "coulomb", "crick",
    "curie", "dalton", "darwin", "debroglie", "dedekind", "dewar", "diesel", "diffie",
    "dijkstra", "dirac", "doppler", "easley", "eckert", "edison", "einstein", "elion",
    "engelbart", "euclid", "euler", "fahrenheit", "faraday", "fermat", "fermi",
    "feynman", "fibonacci", "fleming", "fourier", "franklin", "fresnel", "fuller",
    "galilei", "galois", "galvani", "gamow", "gauss", "germain", "gibbs", "goedel",
    "goldberg", "goodall", "hadamard", "hale", "hamilton", "hamming", "hawking",
    "heaviside", "heisenberg", "helmholtz", "herschel", "hertz", "hilbert", "hoare",
    "hodgkin", "hollerith", "hooke", "hopper", "hubble", "huygens", "hypatia",
    "jackson", "jacquard", "jemison", "johnson", "joule", "kahan", "kay", "kelvin",
    "kepler", "kernighan", "khorana", "kilby", "kirchhoff", "knuth", "kolmogorov",
    "kovalevskaya", "lagrange", "lamarr", "lamport", "laplace", "lavoisier", "leakey",
    "leavitt", "lebedev", "leibniz", "lemaitre", "liskov", "lister", "lorentz",
    "lovelace", "lumiere", "lyell", "marconi", "mauchly", "maxwell", "mayer",
    "mccarthy", "mcclintock", "meitner", "mendel", "mendeleev", "metcalfe",
    "michelson", "millikan", "minsky", "mirzakhani", "monod", "morse", "moseley",
    "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether", "noyce",
    "nyquist", "ohm", "oppenheimer", "parsons", "pascal", "pasteur", "pauli",
    "pauling", "payne", "perlman", "pike", "planck", "poincare", "poisson", "ptolemy",
    "raman", "ramanujan", "rayleigh", "ride", "riemann", "ritchie", "rivest",
    "roentgen", "rutherford", "sagan", "salk", "schrodinger", "shamir", "shannon",
    "shockley", "sinoussi", "somerville", "stevin", "stirling", "stokes",
    "sutherland", "szilard", "tarski", "tesla", "thompson", "thomson", "torvalds",
    "turing", "ulam", "vaughan", "volta", "wallace", "watt", "wegener",
    "weierstrass", "wheeler", "wiles", "wilkes", "wilson", "wing", "wozniak",
    "wright", "wu", "yalow", "yonath", "zuse", "zwicky",
};

/* Uniform in [0, n): rejection sampling, no modulo bias. */
static int pick(size_t n, size_t *out, struct berr **err)
{
    uint32_t r, limit = UINT32_MAX - UINT32_MAX % (uint32_t) n;

    do {
        if (state_random(&r, sizeof(r), err) < 0)
            return -1;
    } while (r >= limit);
    *out = r % n;
    return 0;
}

/* lstat, not stat: a dangling symlink is a (stale) reservation too */
static bool name_taken(struct state *st, const char *name)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", st->names_dir, name);
    struct stat sb;

    return !p || lstat(p, &sb) == 0 || errno != ENOENT;
}

int state_gen_name(struct state *st, char **out, struct berr **err)
{
    /* With ~25,000 combinations a free one is found at once unless the
     * store is nearly full; past that, podman's suffix form (a digit)
     * widens the space tenfold each time. */
    for (unsigned attempt = 0; attempt < 10000; attempt++) {
        _cleanup_free_ char *name = NULL;
        size_t a, s, d = 0;

        if (pick(ARRAY_SIZE(adjectives), &a, err) < 0 ||
            pick(ARRAY_SIZE(surnames), &s, err) < 0)
            return -1;
        if (attempt >= 1000 && pick(1000000, &d, err) < 0)
            return -1;
        if (attempt < 1000)
            name = str_fmt("%s_%s", adjectives[a], surnames[s]);
        else
            name = str_fmt("%s_%s%zu", adjectives[a], surnames[s], d);
        if (!name)
            return berr_oom(err);
        if (!name_taken(st, name)) {
            *out = STEAL_PTR(name);
            return 0;
        }
    }
    return berr_msg(err, "generate a container name: every name tried is in use");
}

/* For the unit test: the word lists must stay valid and duplicate-free. */
size_t state_namegen_words(const char *const **adj, size_t *nadj, const char *const **sur);

size_t state_namegen_words(const char *const **adj, size_t *nadj, const char *const **sur)
{
    *adj = adjectives;
    *nadj = ARRAY_SIZE(adjectives);
    *sur = surnames;
    return ARRAY_SIZE(surnames);
}
