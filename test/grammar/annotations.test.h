// SYNTAX TEST "source.c" "ioctl-lens annotations in comments: @in, @out, @inout, @shadow32, @count"

/** Submit. @in FOO_SUBMIT @out FOO_RESULT */
//          ^^^ comment.block.documentation.c storage.type.class.doc.ioctl-lens.annotation
//              ^^^^^^^^^^ comment.block.documentation.c entity.name.type.ioctl-lens
//                         ^^^^ storage.type.class.doc.ioctl-lens.annotation
//                              ^^^^^^^^^^ entity.name.type.ioctl-lens
//  ^^^^^^^ - storage.type.class.doc.ioctl-lens.annotation entity.name.type.ioctl-lens
#define IOCTL_FOO_SUBMIT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Map the ring. @inout CONTOSO_MAP_RING */
//               ^^^^^^ comment.block.c storage.type.class.doc.ioctl-lens.annotation
//                      ^^^^^^^^^^^^^^^^ comment.block.c entity.name.type.ioctl-lens

// @shadow32 FOO32
// ^^^^^^^^^ comment.line.double-slash.c storage.type.class.doc.ioctl-lens.annotation
//           ^^^^^ comment.line.double-slash.c entity.name.type.ioctl-lens

/// Query. @out CONTOSO_VERSION
//         ^^^^ comment.line.double-slash.documentation.c storage.type.class.doc.ioctl-lens.annotation
//              ^^^^^^^^^^^^^^^ entity.name.type.ioctl-lens

/**
 * Open a session.
 * @in  CONTOSO_OPEN_SESSION
// ^^^ comment.block.documentation.c storage.type.class.doc.ioctl-lens.annotation
//      ^^^^^^^^^^^^^^^^^^^^ comment.block.documentation.c entity.name.type.ioctl-lens
 * @out CONTOSO_SESSION_INFO
//      ^^^^^^^^^^^^^^^^^^^^ entity.name.type.ioctl-lens
 * @param Irp the request (Doxygen stays Doxygen)
// ^^^^^^ storage.type.class.doxygen.c - storage.type.class.doc.ioctl-lens.annotation
 */
#define IOCTL_CONTOSO_OPEN_SESSION CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _CONTOSO_SUBMIT_BATCH { /* @shadow32 CONTOSO_SUBMIT_BATCH32 */
//                                        ^^^^^^^^^ storage.type.class.doc.ioctl-lens.annotation
//                                                  ^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.ioctl-lens
    ULONG Count;
    PCONTOSO_REQUEST Requests; /* @count Count */
//                                ^^^^^^ meta.block.c comment.block.c storage.type.class.doc.ioctl-lens.annotation
//                                       ^^^^^ variable.other.member.ioctl-lens
    PSHAPE_NODE Nodes; // @count(NodeCount)
//                        ^^^^^^ comment.line.double-slash.c storage.type.class.doc.ioctl-lens.annotation
//                              ^ punctuation.definition.parameters.begin.ioctl-lens
//                               ^^^^^^^^^ variable.other.member.ioctl-lens
//                                        ^ punctuation.definition.parameters.end.ioctl-lens
} CONTOSO_SUBMIT_BATCH;

/** @count Requests Count * 2 */
//  ^^^^^^ storage.type.class.doc.ioctl-lens.annotation
//         ^^^^^^^^ variable.other.member.ioctl-lens
//                  ^^^^^ - variable.other.member.ioctl-lens

// Only what ioctl-lens reads lights up: a tag with no name after it, longer or other tags, an @ inside a word.
/* @in */
// ^^^ - storage.type.class.doc.ioctl-lens.annotation
// @in: FOO, @input FOO, @outer FOO, @counter N, @shadow FOO, @shadow321 FOO, @In FOO
// ^^^^ - storage.type.class.doc.ioctl-lens.annotation
//      ^^^ - entity.name.type.ioctl-lens
//           ^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                       ^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                                   ^^^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                                            ^ - variable.other.member.ioctl-lens
//                                               ^^^^^^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                                                            ^^^^^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                                                                            ^^^ - storage.type.class.doc.ioctl-lens.annotation
/* mail support@intel.com or ops@out.example */
//             ^^^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                              ^^^^ - storage.type.class.doc.ioctl-lens.annotation
//                                   ^^^^^^^ - entity.name.type.ioctl-lens

// Outside comments the tags are not annotations.
const char *s = "@in FOO";
//               ^^^ string.quoted.double.c - storage.type.class.doc.ioctl-lens.annotation
//                   ^^^ - entity.name.type.ioctl-lens
