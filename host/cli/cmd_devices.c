/* `tessel devices`: the backends and devices usable here, and the one a
 * default (auto) run picks. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "report.h"

static int run_devices(const cli_options *o)
{
    if (o->input_count) return cli_usage(o->command_name, "devices takes no arguments");
    int count = 0;
    tessel_status s = tessel_devices_list(NULL, 0, &count);
    tessel_device_desc *list =
        s == TESSEL_OK && count > 0 ? calloc((size_t)count, sizeof *list) : NULL;
    if (s == TESSEL_OK && count > 0)
        s = list ? tessel_devices_list(list, count, &count) : TESSEL_ERR_OUT_OF_MEMORY;
    if (s != TESSEL_OK) {
        cli_error("cannot list the devices: %s", cli_status_text(s));
        free(list);
        return CLI_EXIT_FAILED;
    }
    printf("%-4s %-12s %-12s %s\n", "auto", "--device", "kind", "name");
    const tessel_device_desc *chosen = NULL;
    for (int i = 0; i < count; ++i) {
        const tessel_device_desc *d = &list[i];
        printf("%-4s %-12s %-12s %s\n", d->is_auto ? "*" : "", d->spec, d->kind, d->name);
        if (d->detail[0]) printf("%-30s %s\n", "", d->detail);
        if (d->is_auto) chosen = d;
    }
    const char *env = getenv("TESSEL_DEVICE");
    if (chosen && env && *env)
        printf("\nauto picks: %s (%s), as TESSEL_DEVICE=%s asks\n", chosen->spec, chosen->name,
               env);
    else if (chosen)
        printf("\nauto picks: %s (%s)\n", chosen->spec, chosen->name);
    free(list);
    return CLI_EXIT_OK;
}

const cli_command cli_devices_command = {
    "devices",
    CLI_DEVICES,
    "list the backends and devices usable here",
    "tessel devices",
    "Lists every device tessel can run on here, with the --device string that\n"
    "selects it; '*' marks the one a run picks by default (--device auto, which\n"
    "honours the TESSEL_DEVICE variable).",
    "  tessel devices\n"
    "  TESSEL_DEVICE=cpu tessel devices\n",
    run_devices,
};
