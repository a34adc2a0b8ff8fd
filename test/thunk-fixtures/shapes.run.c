/*
 * shapes.run.c - runs the generated SHAPE_* routines (included after them).
 * Prints one line per fact; test/thunk/run.test.ts holds the expected lines.
 */
#include "run_common.h"

/* The name's characters are captured into pool (UNICODE_STRING's Buffer is sized by its Length): compared with the caller's. */
static void show_item(const char *what, const SHAPE_ITEM *item, const void *callerName) {
    SHOW("%s: kind=%u event=%016llx name=%u/%u %s length=%016llx delta=%lld tags=%016llx,%016llx stamp=%lld", what, item->Kind,
         HEX(item->Event), item->Name.Length, item->Name.MaximumLength,
         item->Name.Buffer != callerName && memcmp(item->Name.Buffer, callerName, item->Name.Length) == 0 ? "copied" : "NOT COPIED", HEX(item->Length),
         (long long)item->Delta, HEX(item->Tags[0]), HEX(item->Tags[1]), (long long)item->Stamp);
}

int main(void) {
    shim_install();
    char *caller = caller_memory(0x90000000u, 4096);
    SHAPE_NODE32 *nodes = (SHAPE_NODE32 *)caller;
    SHAPE_LEAF32 *leaves = (SHAPE_LEAF32 *)(caller + 0x800);
    SHAPE_BATCH32 in;
    SHAPE_BATCH out;
    NTSTATUS s;

    memset(nodes, 0, 2 * sizeof *nodes);
    nodes[0].LeafCount = 2;
    nodes[0].Leaves = 0x90000800u;
    nodes[0].Item.Kind = 7;
    nodes[0].Item.Event = 0xFFFFFFFFu;
    nodes[0].Item.Name.Length = 4;
    nodes[0].Item.Name.MaximumLength = 6;
    nodes[0].Item.Name.Buffer = 0x90000F00u;
    memcpy(caller + 0xF00, (WCHAR[2]){'i', '0'}, 4);
    nodes[0].Item.Length = 0xFFFFFFFFu;
    nodes[0].Item.Delta = -5;
    nodes[0].Item.Tags[0] = 0x80000000u;
    nodes[0].Item.Tags[1] = 1;
    nodes[0].Item.Stamp = -1;
    leaves[0] = (SHAPE_LEAF32){11, 0xFFFFFFF0u};
    leaves[1] = (SHAPE_LEAF32){12, 0};
    memset(&in, 0, sizeof in);
    in.Flags = 0x10;
    in.Count = 2;
    in.Nodes = 0x90000000u;
    in.Completion = 0xFFFFFFFEu;

    s = CaptureShapeBatch32(&in, &out);
    SHOW("batch: status=%08x flags=%x count=%u completion=%016llx pool=%d", (unsigned)s, out.Flags, out.Count, HEX(out.Completion), shim_outstanding);
    SHOW("node[0]: leaves=%u leaf0=%u/%016llx leaf1=%u/%016llx", out.Nodes[0].LeafCount, out.Nodes[0].Leaves[0].Value, HEX(out.Nodes[0].Leaves[0].Cookie),
         out.Nodes[0].Leaves[1].Value, HEX(out.Nodes[0].Leaves[1].Cookie));
    show_item("node[0].item", &out.Nodes[0].Item, caller + 0xF00);
    SHOW("node[1]: leaves=%u array=%s", out.Nodes[1].LeafCount, out.Nodes[1].Leaves ? "set" : "NULL");
    ReleaseShapeBatch32(&out);
    SHOW("batch released: pool=%d", shim_outstanding);

    /* A nested count that overflows fails the whole capture and frees what was taken. */
    nodes[1].LeafCount = 0xFFFFFFFFu;
    nodes[1].Leaves = 0x90000800u;
    s = CaptureShapeBatch32(&in, &out);
    SHOW("nested overflow: status=%08x pool=%d nodes=%s", (unsigned)s, shim_outstanding, out.Nodes ? "set" : "NULL");
    nodes[1].LeafCount = 1;
    nodes[1].Leaves = 0;
    s = CaptureShapeBatch32(&in, &out);
    SHOW("nested NULL array: status=%08x pool=%d", (unsigned)s, shim_outstanding);

    /* Write-back of an item: padding zeroed, sizes range-checked, signed sizes sign-checked. */
    {
        SHAPE_ITEM item;
        SHAPE_ITEM32 back;
        memset(&item, 0, sizeof item);
        item.Kind = 3;
        item.Event = (HANDLE)(LONG_PTR)-1;
        item.Name.Length = 2;
        item.Name.Buffer = (PWCH)(ULONG_PTR)0x90000F00u;
        item.Length = 0xFFFFFFFFu;
        item.Delta = -5;
        item.Tags[1] = (PVOID)(ULONG_PTR)0x80000000u;
        memset(&back, 0xCC, sizeof back);
        back.Name.Buffer = 0x90000F00u; /* what the caller sent: written back as it came */
        s = WriteBackShapeItem32(&item, &back);
        SHOW("item write-back: status=%08x padding=%02x%02x%02x event=%08x name=%08x length=%08x delta=%d tags=%08x,%08x", (unsigned)s,
             ((UCHAR *)&back)[1], ((UCHAR *)&back)[2], ((UCHAR *)&back)[3], back.Event, back.Name.Buffer, back.Length, back.Delta, back.Tags[0], back.Tags[1]);
        item.Length = (SIZE_T)0x100000000ull;
        SHOW("item write-back, 4 GB length: status=%08x", (unsigned)WriteBackShapeItem32(&item, &back));
        item.Length = 1;
        item.Delta = (LONG_PTR)MINLONG - 1;
        SHOW("item write-back, delta below MINLONG: status=%08x", (unsigned)WriteBackShapeItem32(&item, &back));
        item.Delta = MINLONG;
        SHOW("item write-back, delta MINLONG: status=%08x delta=%d", (unsigned)WriteBackShapeItem32(&item, &back), back.Delta);
    }

    /* Records defined in place, arrays of handles and sizes. */
    {
        SHAPE_INLINE32 i32;
        SHAPE_INLINE n;
        memset(&i32, 0, sizeof i32);
        i32.Region.Base = 0x90000000u;
        i32.Region.Size = 4096;
        i32.Section = 0xFFFFFFFFu;
        i32.ViewSize = 0xFFFFFFFFu;
        i32.Link.Flink = 0x80000010u;
        i32.Handles[0] = 4;
        i32.Handles[2] = 0x80000000u;
        i32.Sizes[1][1] = 0xFFFFFFFFu;
        s = CaptureShapeInline32(&i32, &n);
        SHOW("inline: status=%08x base=%016llx size=%u section=%016llx view=%016llx flink=%016llx handles=%016llx,%016llx,%016llx size11=%016llx", (unsigned)s,
             HEX(n.Region.Base), n.Region.Size, HEX(n.Section), HEX(n.ViewSize), HEX(n.Link.Flink), HEX(n.Handles[0]), HEX(n.Handles[1]), HEX(n.Handles[2]),
             HEX(n.Sizes[1][1]));
    }

    /* A union without a discriminator is left alone (TODO in the code), the rest converts. */
    {
        SHAPE_UNION32 u32;
        SHAPE_UNION u;
        memset(&u32, 0, sizeof u32);
        u32.Type = 1;
        u32.Pointer = 0x90000000u;
        u32.After = 5;
        s = CaptureShapeUnion32(&u32, &u);
        SHOW("union: status=%08x type=%u pointer=%016llx after=%u", (unsigned)s, u.Type, HEX(u.Pointer), u.After);
    }

    /* _Field_size_opt_: NULL with a count is accepted (and captures nothing); a real array is captured. */
    {
        SHAPE_OPTIONAL32 o32;
        SHAPE_OPTIONAL o;
        o32.Count = 3;
        o32.Leaves = 0;
        s = CaptureShapeOptional32(&o32, &o);
        SHOW("optional NULL: status=%08x count=%u leaves=%s pool=%d", (unsigned)s, o.Count, o.Leaves ? "set" : "NULL", shim_outstanding);
        o32.Count = 2;
        o32.Leaves = 0x90000800u;
        s = CaptureShapeOptional32(&o32, &o);
        SHOW("optional array: status=%08x leaf1=%u pool=%d", (unsigned)s, o.Leaves[1].Value, shim_outstanding);
        ReleaseShapeOptional32(&o);
    }

    /* IO_STATUS_BLOCK through the WDK's IO_STATUS_BLOCK32. */
    {
        SHAPE_IOSB32 i32;
        SHAPE_IOSB i;
        memset(&i32, 0, sizeof i32);
        i32.Iosb.Status = (NTSTATUS)0xC0000001L;
        i32.Iosb.Information = 0xFFFFFFFFu;
        i32.Event = 0x80000000u;
        s = CaptureShapeIosb32(&i32, &i);
        SHOW("iosb: status=%08x iosb.status=%08x information=%016llx event=%016llx", (unsigned)s, (unsigned)i.Iosb.Status, HEX(i.Iosb.Information), HEX(i.Event));
        i.Iosb.Information = (ULONG_PTR)0x100000000ull;
        SHOW("iosb write-back of 4 GB information: status=%08x", (unsigned)WriteBackShapeIosb32(&i, &i32));
    }

    /* pack(4): the LONGLONG at offset 4. */
    {
        SHAPE_PACKED32 p32;
        SHAPE_PACKED p;
        memset(&p32, 0, sizeof p32);
        p32.Header = 1;
        p32.Big = 0x0102030405060708ull;
        p32.Where = 0xFFFFFFFFu;
        p32.Tail = 9;
        s = CaptureShapePacked32(&p32, &p);
        SHOW("packed: status=%08x big=%016llx where=%016llx tail=%u", (unsigned)s, (unsigned long long)p.Big, HEX(p.Where), p.Tail);
    }

    /* The KMDF branch for a 32-bit caller: input captured, output written back, 32-bit size reported. */
    {
        SHAPE_BATCH32 system;
        WDFREQUEST request = NULL;
        nodes[1].LeafCount = 0;
        memset(&system, 0, sizeof system);
        system.Count = 1;
        system.Nodes = 0x90000000u;
        system.Completion = 0x44;
        shim_buffer = &system;
        shim_length = sizeof system;
        shim_is32 = TRUE;
        s = EvtIoDeviceControl(request);
        SHOW("kmdf 32-bit: status=%08x information=%llu nodes=%08x completion=%08x pool=%d", (unsigned)s, (unsigned long long)shim_information, system.Nodes,
             system.Completion, shim_outstanding);
        shim_length = sizeof system - 1;
        SHOW("kmdf 32-bit, short buffer: status=%08x", (unsigned)EvtIoDeviceControl(request));
    }
    return 0;
}
