// libexpat, the XML parser PipelineCore reads S3's error answers with (AWSErrorParser).
#ifndef COLLECTIONS_CEXPAT_SHIM_H
#define COLLECTIONS_CEXPAT_SHIM_H

#include <expat.h>

#endif
